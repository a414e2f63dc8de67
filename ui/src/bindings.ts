// Generated from Papersift's Rust types by src-tauri/src/bindings.rs: do not edit.
// PAPERSIFT_WRITE_BINDINGS=1 cargo test -p papersift-app --lib bindings

export type Link = { 
/**
 * What the link is: `abs`, `pdf`, `hf`, `code`, `project`.
 */
kind: string, 
/**
 * An absolute `https://` URL.
 */
url: string, };

export type MathSpan = { 
/**
 * Start of the formula, delimiters included.
 */
start: number, 
/**
 * End (exclusive), delimiters included.
 */
end: number, 
/**
 * Start of the TeX source inside the delimiters.
 */
texStart: number, 
/**
 * End (exclusive) of the TeX source.
 */
texEnd: number, 
/**
 * Display math (`$$…$$`, `\[…\]`) rather than inline.
 */
display: boolean, };

export type Source = "hf" | "arxiv" | "seed" | "corpus" | "biorxiv" | "medrxiv" | "openreview" | "feed" | "crossref";

export type PaperMath = { 
/**
 * Formulas in the title.
 */
title: Array<MathSpan>, 
/**
 * Formulas in the abstract.
 */
abstract: Array<MathSpan>, };

export type Paper = { 
/**
 * Library identity.
 */
key: string, 
/**
 * Normalized arXiv id, if any.
 */
arxivId: string | null, 
/**
 * Highest arXiv version seen.
 */
arxivVersion: number | null, 
/**
 * Title.
 */
title: string, 
/**
 * Abstract.
 */
abstract: string, 
/**
 * Author names.
 */
authors: Array<string>, 
/**
 * Number of authors.
 */
authorCount: number, 
/**
 * First publication date, `YYYY-MM-DD`.
 */
published: string | null, 
/**
 * Last update date, `YYYY-MM-DD`.
 */
updated: string | null, 
/**
 * arXiv categories.
 */
categories: Array<string>, 
/**
 * Sources that reported this paper.
 */
sources: Array<Source>, 
/**
 * Hugging Face upvotes.
 */
upvotes: number | null, 
/**
 * Links.
 */
links: Array<Link>, 
/**
 * Hugging Face's AI-written one-line summary.
 */
aiSummary: string | null, 
/**
 * Hugging Face's AI-extracted keywords.
 */
aiKeywords: Array<string>, 
/**
 * Stars of the code repository, when known.
 */
githubStars: number | null, 
/**
 * Comments on the Hugging Face paper page.
 */
numComments: number | null, 
/**
 * The day the paper was on Hugging Face Daily Papers, `YYYY-MM-DD`.
 */
hfDate: string | null, 
/**
 * The DOI it is cited by (the published version's, where known).
 */
doi: string | null, 
/**
 * The journal or venue it was published in.
 */
journal: string | null, 
/**
 * Its OpenReview forum id.
 */
openreviewId: string | null, 
/**
 * Where the formulas sit in the title and abstract.
 */
math: PaperMath, 
/**
 * The day Papersift first stored the paper, `YYYY-MM-DD`: the date shown for a
 * paper without a published date.
 */
firstSeen: string | null, };

export type SearchMode = "hybrid" | "dense" | "keyword";

export type ScoreParts = { 
/**
 * Cosine similarity to the query, when the paper was in the dense top-k.
 */
dense: number | null, 
/**
 * 1-based rank in the dense list.
 */
denseRank: number | null, 
/**
 * BM25 score, when the paper matched the keywords.
 */
keyword: number | null, 
/**
 * 1-based rank in the keyword list.
 */
keywordRank: number | null, };

export type SearchHit = { 
/**
 * The paper.
 */
paper: Paper, 
/**
 * The fused score (higher is better); its scale depends on the mode.
 */
score: number, 
/**
 * The parts the score came from.
 */
parts: ScoreParts, };

export type Filter = { 
/**
 * Published on or after this date (`YYYY-MM-DD`).
 */
from?: string, 
/**
 * Published on or before this date (`YYYY-MM-DD`).
 */
to?: string, 
/**
 * Has this arXiv category (e.g. `cs.CL`).
 */
category?: string, 
/**
 * Reported by this source (`hf`, `arxiv`, `biorxiv`, `medrxiv`, `openreview`,
 * `feed`, `crossref`, `seed`, `corpus`).
 */
source?: string, 
/**
 * In this reading list.
 */
list?: number, };

export type SuggestionKind = "title" | "author" | "category";

export type Suggestion = { 
/**
 * Title, author or category.
 */
kind: SuggestionKind, 
/**
 * What the list shows.
 */
text: string, 
/**
 * What replaces the word being typed when it is picked (authors, categories), or
 * the paper's key (titles).
 */
insert: string, 
/**
 * Papers with this author or category (among those looked at, for authors).
 */
count: number, };

export type QueryReading = { hint: string | null, };

export type ModelStatus = { 
/**
 * `loading`, `loaded`, `embedding`, `ready`, `error` or `off`.
 */
state: string, 
/**
 * Papers embedded so far in the current pass.
 */
done: number, 
/**
 * Papers in the current pass.
 */
total: number, 
/**
 * What went wrong, for `error`.
 */
message: string | null, 
/**
 * The model in use (`all-MiniLM-L6-v2`), once loaded.
 */
model: string | null, 
/**
 * Where it runs (`cpu`, `cuda`), once loaded.
 */
provider: string | null, 
/**
 * Inference threads it uses, once loaded.
 */
threads: number | null, 
/**
 * Papers per second in the current pass, once a chunk is done.
 */
rate: number | null, 
/**
 * Seconds left in the current pass at that rate.
 */
etaS: number | null, };

export type KeywordStatus = { 
/**
 * `building` (FTS5 serves meanwhile), `ready`, or `fts5` (it could not be built).
 */
state: string, 
/**
 * Papers indexed so far in a build.
 */
done: number, 
/**
 * Papers in the build.
 */
total: number, };

export type LibraryStatus = { 
/**
 * Papers in the library.
 */
papers: number, 
/**
 * Papers with a vector of the active model.
 */
embedded: number, 
/**
 * The model's state.
 */
model: ModelStatus, 
/**
 * The keyword index's state.
 */
keywords: KeywordStatus, 
/**
 * The data folder.
 */
dataDir: string, };

export type StartupProblem = { 
/**
 * `damaged`, `newer_schema`, `io`, …
 */
kind: string, 
/**
 * One sentence for the user.
 */
message: string, 
/**
 * The database file.
 */
dbPath: string, };

export type IpcError = { 
/**
 * Machine-readable kind (`database`, `embedding`, `startup`, …).
 */
kind: string, 
/**
 * One sentence for the user.
 */
message: string, };

export type SyncProgress = { "stage": "fetching", 
/**
 * Source name.
 */
source: string, 
/**
 * What is fetched ("2026-11-27 page 1").
 */
what: string, } | { "stage": "stored", 
/**
 * Source name.
 */
source: string, 
/**
 * Papers stored by this source so far.
 */
papers: number, } | { "stage": "embedding", 
/**
 * Done so far.
 */
done: number, 
/**
 * Total.
 */
total: number, 
/**
 * Papers per second so far (see [`Library::pace`]).
 */
rate: number | null, 
/**
 * Seconds left at that pace.
 */
etaS: number | null, };

export type RuleAlert = { 
/**
 * The rule.
 */
ruleId: number, 
/**
 * Its name.
 */
name: string, 
/**
 * Row ids of the new matching papers, best first.
 */
papers: Array<number>, };

export type SourceReport = { 
/**
 * Source name.
 */
source: string, 
/**
 * HTTP requests that returned a body.
 */
requests: number, 
/**
 * Items seen in responses.
 */
items: number, 
/**
 * Papers new to the library.
 */
new: number, 
/**
 * Known papers that changed.
 */
updated: number, 
/**
 * Items skipped, with reasons.
 */
skipped: Array<string>, 
/**
 * Why the source stopped early, if it did.
 */
error: string | null, 
/**
 * True when the source could not be reached at all.
 */
offline: boolean, 
/**
 * Wall time of fetching and storing (embedding comes after, for all sources).
 */
seconds: number, };

export type SyncReport = { 
/**
 * Per source, in order.
 */
sources: Array<SourceReport>, 
/**
 * Papers embedded after fetching.
 */
embedded: number, 
/**
 * Why embedding failed, if it did (papers stay stored and are embedded later).
 */
embedError: string | null, 
/**
 * Reading-list entries that waited for a DOI look-up and are library papers now.
 */
listEntriesResolved: number, 
/**
 * New papers matching alert rules, per rule.
 */
alerts: Array<RuleAlert>, 
/**
 * Wall time.
 */
seconds: number, };

export type SyncState = { 
/**
 * Source name (`hf`, `arxiv`).
 */
source: string, 
/**
 * Source-specific resume point (for Daily Papers: the last fully synced day).
 */
cursor: string | null, 
/**
 * When the last sync without error ended (UTC, RFC 3339).
 */
lastSuccess: string | null, 
/**
 * The last sync's error, cleared by a clean sync.
 */
lastError: string | null, };

export type SyncStatus = { 
/**
 * A sync is running now.
 */
running: boolean, 
/**
 * Per source: cursor, last success, last error.
 */
sources: Array<SyncState>, };

export type SyncSettings = { 
/**
 * Sync Hugging Face Daily Papers.
 */
hf: boolean, 
/**
 * Sync arXiv listings for [`categories`](Self::categories).
 */
arxiv: boolean, 
/**
 * Sync bioRxiv, for [`biorxiv_subjects`](Self::biorxiv_subjects).
 */
biorxiv: boolean, 
/**
 * Sync medRxiv, for [`medrxiv_subjects`](Self::medrxiv_subjects).
 */
medrxiv: boolean, 
/**
 * Sync the accepted papers of [`openreview_venues`](Self::openreview_venues).
 */
openreview: boolean, 
/**
 * Sync the journal feeds of [`feed_urls`](Self::feed_urls).
 */
feeds: boolean, 
/**
 * Daily Papers, bioRxiv and medRxiv: how many days back, today included.
 */
days: number, 
/**
 * arXiv categories (`cs.LG`, `stat.ML`, `hep-th`, …).
 */
categories: Array<string>, 
/**
 * arXiv API back-fill depth in days (0: only the daily listings).
 */
backfillDays: number, 
/**
 * bioRxiv subjects (`neuroscience`, `cell biology`); all when empty.
 */
biorxivSubjects: Array<string>, 
/**
 * medRxiv subjects (`epidemiology`, `infectious diseases`); all when empty.
 */
medrxivSubjects: Array<string>, 
/**
 * OpenReview venue ids (`ICLR.cc/2026/Conference`).
 */
openreviewVenues: Array<string>, 
/**
 * Journal (or any site's) RSS and Atom feed addresses.
 */
feedUrls: Array<string>, 
/**
 * Another bioRxiv/medRxiv API base URL (tests use a loopback server).
 */
biorxivUrl?: string, 
/**
 * The address Crossref may contact about this app's requests (it serves them from
 * its faster "polite" pool); none is sent when empty.
 */
contactEmail?: string, 
/**
 * Zotero's data folder, when it is not where Zotero keeps it by default.
 */
zoteroDir?: string, 
/**
 * Another OpenReview API base URL.
 */
openreviewUrl?: string, 
/**
 * Another Crossref API base URL.
 */
crossrefUrl?: string, 
/**
 * Another Hugging Face base URL (a mirror; tests use a loopback server).
 */
hfUrl?: string, 
/**
 * Another arXiv API query URL.
 */
arxivApiUrl?: string, 
/**
 * Another arXiv listing feed base URL.
 */
arxivFeedUrl?: string, 
/**
 * Milliseconds between arXiv requests (never below 3 s for arxiv.org itself).
 */
arxivDelayMs?: number, };

export type FeedInfo = { 
/**
 * The address.
 */
url: string, 
/**
 * The feed's own title, once a sync has read it.
 */
title: string | null, };

export type Category = { 
/**
 * The code (`cs.LG`, `hep-th`).
 */
code: string, 
/**
 * The name (`Machine Learning`).
 */
name: string, 
/**
 * The group it belongs to (`Computer Science`, `Physics`).
 */
group: string, };

export type ExportFormat = "bibtex" | "ris" | "csl-json";

export type ListSummary = { 
/**
 * Row id.
 */
id: number, 
/**
 * Unique name.
 */
name: string, 
/**
 * The file it was imported from.
 */
sourceFile: string | null, 
/**
 * When it was created (UTC).
 */
createdAt: string, 
/**
 * Entries.
 */
items: number, 
/**
 * Entries that are library papers.
 */
resolved: number, 
/**
 * What the list follows, when it is linked (then it is read-only here).
 */
link: ListLink | null, };

export type ListLink = { 
/**
 * What it follows.
 */
source: LinkSource, 
/**
 * The source as the user knows it ("Zotero: My Library › Thesis", the file).
 */
label: string, 
/**
 * When it was last followed (UTC).
 */
checkedAt: string | null, 
/**
 * Why the last follow failed (the list keeps what it had).
 */
error: string | null, };

export type LinkSource = { "kind": "zotero", 
/**
 * The Zotero data folder (holding `zotero.sqlite`).
 */
dataDir: string, 
/**
 * Zotero's `libraryID` (1 is "My Library").
 */
libraryId: number, 
/**
 * The collection's Zotero key.
 */
collection: string | null, } | { "kind": "file", 
/**
 * Its absolute path.
 */
path: string, };

export type ListItem = { 
/**
 * Stable key within the list (`arxiv:…`, `doi:…`, `title:…`).
 */
key: string, 
/**
 * What the file said.
 */
label: string | null, 
/**
 * The title the file gave.
 */
title: string | null, 
/**
 * The paper, when resolved.
 */
paper: Paper | null, 
/**
 * Why it is not resolved.
 */
unresolvedReason: string | null, };

export type Because = { 
/**
 * Its key.
 */
key: string, 
/**
 * Its title.
 */
title: string, 
/**
 * Formulas in the title.
 */
titleMath: Array<MathSpan>, 
/**
 * Cosine similarity.
 */
similarity: number, };

export type Recommendation = { 
/**
 * The paper.
 */
paper: Paper, 
/**
 * The method's score (higher is better; comparable within one call).
 */
score: number, 
/**
 * The list papers it is most like.
 */
because: Array<Because>, 
/**
 * Words it shares with those papers that weigh most in both, as written in it.
 */
words: Array<string>, };

export type Rating = "up" | "down";

export type PaperMarks = { 
/**
 * The paper's key.
 */
key: string, 
/**
 * Its rating where the card is shown.
 */
rating: Rating | null, 
/**
 * Whether its card stayed in view before.
 */
seen: boolean, };

export type RatedPaper = { 
/**
 * The paper's library key.
 */
key: string, 
/**
 * Its arXiv id, when it has one.
 */
arxivId: string | null, 
/**
 * Its title, for people reading the file.
 */
title: string, 
/**
 * The list the rating was given inside, by name.
 */
list: string | null, 
/**
 * 👍 or 👎.
 */
rating: Rating, 
/**
 * When.
 */
ratedAt: string, };

export type UnseenCounts = { 
/**
 * Among For you's first recommendations.
 */
forYou: number, 
/**
 * `(list id, count)` among each list's first recommendations.
 */
lists: Array<[number, number]>, };

export type Unresolved = { 
/**
 * What the file said.
 */
label: string, 
/**
 * Why.
 */
reason: string, };

export type Format = "bibtex" | "ris" | "csl-json" | "text" | "pdf";

export type ImportReport = { 
/**
 * The file.
 */
file: string, 
/**
 * Its format.
 */
format: Format, 
/**
 * The list it went into.
 */
listId: number, 
/**
 * That list's name.
 */
listName: string, 
/**
 * False when the entries went into an existing list (the same file imported
 * again, or `--list`).
 */
created: boolean, 
/**
 * Entries in the file.
 */
entries: number, 
/**
 * Entries that are library papers now.
 */
resolved: number, 
/**
 * … of which were already in the library.
 */
fromLibrary: number, 
/**
 * … fetched from arXiv.
 */
fromArxiv: number, 
/**
 * … matched by title.
 */
byTitle: number, 
/**
 * … fetched from Hugging Face's paper API.
 */
fromHuggingFace: number, 
/**
 * … fetched from Crossref by DOI.
 */
fromCrossref: number, 
/**
 * The others, with reasons.
 */
unresolved: Array<Unresolved>, };

export type ImportProgress = { "stage": "parsed", 
/**
 * Entries found.
 */
entries: number, } | { "stage": "fetching", 
/**
 * Ids asked so far.
 */
done: number, 
/**
 * Ids to ask.
 */
total: number, };

export type ImportFailure = { 
/**
 * The file's name.
 */
file: string, 
/**
 * Why.
 */
error: string, };

export type ImportOutcome = { 
/**
 * One report per imported file.
 */
reports: Array<ImportReport>, 
/**
 * Files that failed, with the reason.
 */
failures: Array<ImportFailure>, };

export type ImportEvent = { 
/**
 * The file's name.
 */
file: string, 
/**
 * Which file of how many.
 */
index: number, 
/**
 * Files in this drop.
 */
count: number, 
/**
 * The step.
 */
progress: ImportProgress | null, };

export type Tally = { 
/**
 * Entries that are library papers now.
 */
resolved: number, 
/**
 * … of which were already in the library.
 */
fromLibrary: number, 
/**
 * … fetched from arXiv.
 */
fromArxiv: number, 
/**
 * … matched by title.
 */
byTitle: number, 
/**
 * … fetched from Hugging Face's paper API.
 */
fromHuggingFace: number, 
/**
 * … fetched from Crossref by DOI.
 */
fromCrossref: number, 
/**
 * The others, with reasons.
 */
unresolved: Array<Unresolved>, };

export type FollowReport = { 
/**
 * The list.
 */
listId: number, 
/**
 * Its name.
 */
listName: string, 
/**
 * What it follows, as the user knows it.
 */
label: string, 
/**
 * False when the source had not changed since the last follow (nothing was read).
 */
changed: boolean, 
/**
 * Entries that joined the list.
 */
added: number, 
/**
 * Entries that left it.
 */
removed: number, 
/**
 * What became of the entries that joined.
 */
tally: Tally, 
/**
 * Why the source could not be read (the list kept what it had).
 */
error: string | null, };

export type ZoteroLibrary = { 
/**
 * Zotero's `libraryID`.
 */
id: number, 
/**
 * "My Library" or the group's name.
 */
name: string, 
/**
 * Items in it (not notes, attachments or the trash).
 */
items: number, };

export type ZoteroCollection = { 
/**
 * Zotero's key (stable across syncs).
 */
key: string, 
/**
 * The library it is in.
 */
libraryId: number, 
/**
 * Its name.
 */
name: string, 
/**
 * Its path from the library's top: "Thesis › Chapter 2".
 */
path: string, 
/**
 * Items in it and its subcollections.
 */
items: number, };

export type ZoteroOverview = { 
/**
 * The data folder read.
 */
dataDir: string, 
/**
 * Its libraries ("My Library", groups).
 */
libraries: Array<ZoteroLibrary>, 
/**
 * Its collections, in tree order.
 */
collections: Array<ZoteroCollection>, };

export type Saved = { 
/**
 * The paper's title.
 */
title: string, 
/**
 * Whether a PDF link went with it.
 */
withPdf: boolean, };

export type AlertRule = { 
/**
 * Row id.
 */
id: number, 
/**
 * `list` or `search`.
 */
kind: string, 
/**
 * The list, for `list` rules.
 */
listId: number | null, 
/**
 * The query, for `search` rules.
 */
query: string | null, 
/**
 * What the user sees ("Efficient attention").
 */
name: string, 
/**
 * Similarity a new paper needs to match.
 */
threshold: number, 
/**
 * Alerts on.
 */
enabled: boolean, };

export type AlertMatch = { 
/**
 * The rule.
 */
ruleId: number, 
/**
 * Its name.
 */
ruleName: string, 
/**
 * The paper.
 */
paper: Paper, 
/**
 * Its similarity.
 */
score: number, 
/**
 * When it matched (UTC).
 */
matchedAt: string, 
/**
 * The user has seen it.
 */
seen: boolean, };

export type Preview = { 
/**
 * How many papers.
 */
count: number, 
/**
 * The best of them, with scores.
 */
papers: Array<[Paper, number]>, };

export type AlertSettings = { 
/**
 * No notifications (matches are still recorded).
 */
paused: boolean, 
/**
 * Minutes between background syncs (0: no background sync).
 */
syncIntervalMinutes: number, 
/**
 * Quiet hours, minutes since local midnight: `[start, end)`.
 */
quietHours: [number, number] | null, 
/**
 * Closing the window hides it to the tray.
 */
closeToTray: boolean, 
/**
 * Start with the session (the app starts hidden in the tray).
 */
startAtLogin: boolean, 
/**
 * Threshold given to a list when its alerts are turned on.
 */
listThreshold: number, 
/**
 * Threshold given to a newly saved search.
 */
searchThreshold: number, };

export type TrayModel = { 
/**
 * A tray icon exists.
 */
tray: boolean, 
/**
 * Why not, when it does not.
 */
trayError: string | null, 
/**
 * The notification server's name, when one answers.
 */
notifications: string | null, 
/**
 * Papers with unseen matches.
 */
unseen: number, 
/**
 * The menu's match entries: (paper key, label).
 */
matches: Array<[string, string]>, 
/**
 * The tooltip.
 */
tooltip: string, 
/**
 * The last notification sent: (summary, body).
 */
lastNotice: [string, string] | null, };

export type Why = { 
/**
 * It is in a list or has a 👍: it leads.
 */
yours: boolean, 
/**
 * The list papers it is most like.
 */
because: Array<Because>, 
/**
 * The words it shares with them.
 */
words: Array<string>, };

export type Feed = { 
/**
 * First day, inclusive.
 */
from: string, 
/**
 * Last day, inclusive.
 */
to: string, 
/**
 * The papers.
 */
papers: Array<Paper>, 
/**
 * In For you's order, why each paper is where it is (beside `papers`).
 */
why: Array<Why> | null, };

export type MapList = { 
/**
 * List id.
 */
id: number, 
/**
 * List name.
 */
name: string, 
/**
 * Indices into the map's columns.
 */
members: Array<number>, };

export type MapLayout = "cached" | "extended" | "computed";

export type LibraryMap = { 
/**
 * Paper keys.
 */
keys: Array<string>, 
/**
 * Titles.
 */
titles: Array<string>, 
/**
 * The titles with formulas: point index and where the formulas sit.
 */
titleMath: Array<[number, Array<MathSpan>]>, 
/**
 * Horizontal positions in `[0, 1]`.
 */
xs: Array<number>, 
/**
 * Vertical positions in `[0, 1]`.
 */
ys: Array<number>, 
/**
 * Category index of each point.
 */
groups: Array<number>, 
/**
 * The most common primary categories, most common first.
 */
categories: Array<string>, 
/**
 * Reading lists and the points in them.
 */
lists: Array<MapList>, 
/**
 * Papers not on the map yet (waiting for a vector).
 */
unplaced: number, 
/**
 * How this answer was made.
 */
layout: MapLayout, };

export type EmbeddingSettings = { 
/**
 * Model name (`all-MiniLM-L6-v2`, `bge-small-en-v1.5`, …).
 */
model: string | null, 
/**
 * `auto`, `cpu` or `cuda`.
 */
provider: string | null, };

export type ModelChoice = { 
/**
 * The name users and settings use.
 */
name: string, 
/**
 * One line for the settings list.
 */
description: string, 
/**
 * Prepended to a search query.
 */
queryPrefix: string, 
/**
 * Prepended to a title + abstract.
 */
documentPrefix: string, 
/**
 * Tokens per text.
 */
maxLength: number, 
/**
 * Approximate download size.
 */
downloadMb: number, };

export type EmbeddingView = { 
/**
 * What is stored (`None`: default).
 */
configured: EmbeddingSettings, 
/**
 * What is running.
 */
active: ModelStatus, 
/**
 * The models offered.
 */
catalogue: Array<ModelChoice>, 
/**
 * Whether this ONNX Runtime can use an NVIDIA GPU.
 */
cudaAvailable: boolean, 
/**
 * Environment variables that override the settings, if any.
 */
overriddenBy: Array<string>, };

export type DataDirSource = "flag" | "environment" | "chosen" | "default";

export type DataFolder = { 
/**
 * The folder in use.
 */
path: string, 
/**
 * `environment`, `chosen` or `default`.
 */
source: DataDirSource, 
/**
 * The folder chosen for the next start, when it differs from the one in use.
 */
next: string | null, };
