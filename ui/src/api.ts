// The only module that talks to the Tauri backend. Everything else imports these
// typed wrappers, so the IPC surface is visible in one place.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

export type SearchMode = "hybrid" | "dense" | "keyword";

export interface Link {
  kind: string;
  url: string;
}

/** A formula in cleaned text: UTF-16 offsets, delimiters included (`start..end`) and
 *  the TeX inside them (`tex_start..tex_end`). */
export interface MathSpan {
  start: number;
  end: number;
  tex_start: number;
  tex_end: number;
  display: boolean;
}

export interface Paper {
  key: string;
  arxiv_id: string | null;
  arxiv_version: number | null;
  title: string;
  abstract: string;
  authors: string[];
  author_count: number;
  published: string | null;
  updated: string | null;
  categories: string[];
  sources: string[];
  upvotes: number | null;
  links: Link[];
  ai_summary: string | null;
  ai_keywords: string[];
  github_stars: number | null;
  num_comments: number | null;
  hf_date: string | null;
  /** Where the formulas sit in the title and abstract. */
  math: { title: MathSpan[]; abstract: MathSpan[] };
  /** The day Papersift first stored the paper (shown when it has no published date). */
  first_seen: string | null;
}

export interface ScoreParts {
  dense: number | null;
  dense_rank: number | null;
  keyword: number | null;
  keyword_rank: number | null;
}

export interface SearchHit {
  paper: Paper;
  score: number;
  parts: ScoreParts;
}

export interface Filter {
  from?: string;
  to?: string;
  category?: string;
  source?: string;
  list?: number;
}

export interface ModelStatus {
  state: "loading" | "loaded" | "embedding" | "ready" | "error" | "off";
  done: number;
  total: number;
  message: string | null;
  model: string | null;
  provider: string | null;
  /** Inference threads the model uses. */
  threads: number | null;
  /** Papers per second in the current indexing pass, and the seconds left. */
  rate: number | null;
  etaS: number | null;
}

/** The keyword index: `building` (SQLite's FTS5 serves keywords meanwhile), `ready`,
 * or `fts5` (it could not be built). */
export interface KeywordStatus {
  state: string;
  done: number;
  total: number;
}

export interface LibraryStatus {
  papers: number;
  embedded: number;
  model: ModelStatus;
  keywords: KeywordStatus;
  dataDir: string;
}

/** The shape every backend error arrives in. */
export interface IpcError {
  kind: string;
  message: string;
}

export function isIpcError(e: unknown): e is IpcError {
  return typeof e === "object" && e !== null && "kind" in e && "message" in e;
}

const channelSeq = new Map<string, number>();
// Numbers keep growing across a reload of the page: the app outlives it.
const SEQ_BASE = Date.now() * 1000;

/** A search; one on a `channel` ("box", "map") is dropped before it runs when a newer
 *  one on the same channel replaces it, and then rejects with kind "superseded". The
 *  searches of a channel are numbered here, so the app knows which is newest even when
 *  the calls reach it out of order. */
export function search(query: string, mode: SearchMode, k = 30, filter?: Filter, channel?: string): Promise<SearchHit[]> {
  let seq: number | undefined;
  if (channel !== undefined) {
    seq = (channelSeq.get(channel) ?? SEQ_BASE) + 1;
    channelSeq.set(channel, seq);
  }
  return invoke<SearchHit[]>("search", { query, mode, k, filter, channel, seq });
}

/** How the search box reads a query: a hint when it was malformed (searched as plain
 *  words). */
export interface QueryReading {
  hint: string | null;
}

export function queryHint(query: string): Promise<QueryReading> {
  return invoke<QueryReading>("query_hint", { query });
}

/** The query syntax, shown behind the `?` next to the search box. */
export function querySyntax(): Promise<string> {
  return invoke<string>("query_syntax");
}

export type SuggestionKind = "title" | "author" | "category";

/** An as-you-type suggestion: `insert` is the paper's key for a title, else the query
 *  text (`author:"…"`, `cat:…`) that replaces the word being typed. */
export interface Suggestion {
  kind: SuggestionKind;
  text: string;
  insert: string;
  count: number;
}

export function suggest(text: string): Promise<Suggestion[]> {
  return invoke<Suggestion[]>("suggest", { text });
}

export function libraryStatus(): Promise<LibraryStatus> {
  return invoke<LibraryStatus>("library_status");
}

export function onLibraryChanged(handler: () => void): Promise<UnlistenFn> {
  return listen("library-changed", () => handler());
}

// ---- Sync -------------------------------------------------------------------------

export type SyncProgress =
  | { stage: "fetching"; source: string; what: string }
  | { stage: "stored"; source: string; papers: number }
  | { stage: "embedding"; done: number; total: number; rate: number | null; eta_s: number | null };

export interface SourceReport {
  source: string;
  requests: number;
  items: number;
  new: number;
  updated: number;
  skipped: string[];
  error: string | null;
  offline: boolean;
}

export interface SyncReport {
  sources: SourceReport[];
  embedded: number;
  embed_error: string | null;
  seconds: number;
}

export interface SourceState {
  source: string;
  cursor: string | null;
  last_success: string | null;
  last_error: string | null;
}

export interface SyncStatus {
  running: boolean;
  sources: SourceState[];
}

export interface SyncSettings {
  hf: boolean;
  arxiv: boolean;
  days: number;
  categories: string[];
  backfillDays: number;
}

export function syncNow(): Promise<SyncReport> {
  return invoke<SyncReport>("sync_now");
}

export function syncStatus(): Promise<SyncStatus> {
  return invoke<SyncStatus>("sync_status");
}

export function syncSettings(): Promise<SyncSettings> {
  return invoke<SyncSettings>("sync_settings");
}

export function setSyncSettings(settings: SyncSettings): Promise<SyncSettings> {
  return invoke<SyncSettings>("set_sync_settings", { settings });
}

export function onSyncProgress(handler: (p: SyncProgress) => void): Promise<UnlistenFn> {
  return listen<SyncProgress>("sync-progress", (e) => handler(e.payload));
}

// ---- Reading lists ------------------------------------------------------------------

export interface ListSummary {
  id: number;
  name: string;
  sourceFile: string | null;
  createdAt: string;
  items: number;
  resolved: number;
}

export interface ListItem {
  key: string;
  label: string | null;
  title: string | null;
  paper: Paper | null;
  unresolvedReason: string | null;
}

export interface Because {
  key: string;
  title: string;
  title_math: MathSpan[];
  similarity: number;
}

export interface Recommendation {
  paper: Paper;
  score: number;
  because: Because[];
  /** Words it shares with the papers it is like. */
  words: string[];
}

export type Rating = "up" | "down";

/** What the user has done with a paper: its rating where the card is shown, and seen. */
export interface PaperMarks {
  key: string;
  rating: Rating | null;
  seen: boolean;
}

export interface RatedPaper {
  key: string;
  arxiv_id: string | null;
  title: string;
  list: string | null;
  rating: Rating;
  rated_at: string;
}

export interface UnseenCounts {
  for_you: number;
  lists: [number, number][];
}

/** Rates a paper inside a list (or anywhere); `null` clears that rating. Committed on return. */
export const rate = (paper: string, list: number | null, rating: Rating | null): Promise<void> =>
  invoke("rate", { paper, list, rating });
export const ratings = (): Promise<RatedPaper[]> => invoke("ratings");
export const resetRatings = (list: number | null): Promise<number> => invoke("reset_ratings", { list });
export const marks = (keys: string[], list: number | null): Promise<PaperMarks[]> => invoke("marks", { keys, list });
export const markPapersSeen = (keys: string[]): Promise<number> => invoke("mark_papers_seen", { keys });
export const unseenRecommendations = (): Promise<UnseenCounts> => invoke("unseen_recommendations");
export const coldStart = (): Promise<Paper[]> => invoke("cold_start");

export interface Unresolved {
  label: string;
  reason: string;
}

export interface ImportReport {
  file: string;
  format: string;
  listId: number;
  listName: string;
  created: boolean;
  entries: number;
  resolved: number;
  fromLibrary: number;
  fromArxiv: number;
  byTitle: number;
  fromHuggingFace: number;
  unresolved: Unresolved[];
}

export interface ImportOutcome {
  reports: ImportReport[];
  failures: { file: string; error: string }[];
}

export type ImportProgress = { stage: "parsed"; entries: number } | { stage: "fetching"; done: number; total: number };

export interface ImportEvent {
  file: string;
  index: number;
  count: number;
  progress: ImportProgress | null;
}

export const lists = (): Promise<ListSummary[]> => invoke("lists");
export const listItems = (id: number): Promise<ListItem[]> => invoke("list_items", { id });
export const createList = (name: string): Promise<ListSummary> => invoke("create_list", { name });
export const renameList = (id: number, name: string): Promise<void> => invoke("rename_list", { id, name });
export const deleteList = (id: number): Promise<boolean> => invoke("delete_list", { id });
export const mergeLists = (from: number, into: number): Promise<void> => invoke("merge_lists", { from, into });
export const addToList = (id: number, paper: string): Promise<void> => invoke("add_to_list", { id, paper });
export const removeFromList = (id: number, key: string): Promise<boolean> => invoke("remove_from_list", { id, key });
export const recommend = (id: number | null, k = 30): Promise<Recommendation[]> => invoke("recommend", { id, k });
export const importWithDialog = (): Promise<number> => invoke("import_with_dialog");
export const exportList = (id: number): Promise<string | null> => invoke("export_list", { id });

export function onDragHover(handler: (on: boolean) => void): Promise<UnlistenFn> {
  return listen<boolean>("drag-hover", (e) => handler(e.payload));
}
export function onImportProgress(handler: (e: ImportEvent) => void): Promise<UnlistenFn> {
  return listen<ImportEvent>("import-progress", (e) => handler(e.payload));
}
export function onImportFinished(handler: (o: ImportOutcome) => void): Promise<UnlistenFn> {
  return listen<ImportOutcome>("import-finished", (e) => handler(e.payload));
}
export function onListsChanged(handler: () => void): Promise<UnlistenFn> {
  return listen("lists-changed", () => handler());
}

// ---- Alerts -------------------------------------------------------------------------

export interface AlertRule {
  id: number;
  kind: "list" | "search";
  listId: number | null;
  query: string | null;
  name: string;
  threshold: number;
  enabled: boolean;
}

export interface AlertMatch {
  ruleId: number;
  ruleName: string;
  paper: Paper;
  score: number;
  matchedAt: string;
  seen: boolean;
}

export interface Preview {
  count: number;
  papers: [Paper, number][];
}

export interface AlertSettings {
  paused: boolean;
  syncIntervalMinutes: number;
  quietHours: [number, number] | null;
  closeToTray: boolean;
  startAtLogin: boolean;
  listThreshold: number;
  searchThreshold: number;
}

export interface TrayModel {
  tray: boolean;
  trayError: string | null;
  notifications: string | null;
  unseen: number;
  matches: [string, string][];
  tooltip: string;
  lastNotice: [string, string] | null;
}

export const alertRules = (): Promise<AlertRule[]> => invoke("alert_rules");
export const setListAlert = (listId: number, enabled: boolean, threshold?: number): Promise<number> =>
  invoke("set_list_alert", { listId, enabled, threshold });
export const addSearchAlert = (name: string, query: string, threshold?: number): Promise<number> =>
  invoke("add_search_alert", { name, query, threshold });
export const updateAlertRule = (id: number, threshold: number, enabled: boolean): Promise<void> =>
  invoke("update_alert_rule", { id, threshold, enabled });
export const deleteAlertRule = (id: number): Promise<boolean> => invoke("delete_alert_rule", { id });
export const alertMatches = (): Promise<AlertMatch[]> => invoke("alert_matches");
export const markSeen = (paper: string | null): Promise<number> => invoke("mark_seen", { paper });
export const previewAlert = (listId: number | null, query: string | null, threshold: number): Promise<Preview> =>
  invoke("preview_alert", { listId, query, threshold });
export const alertSettings = (): Promise<AlertSettings> => invoke("alert_settings");
export const setAlertSettings = (settings: AlertSettings): Promise<AlertSettings> => invoke("set_alert_settings", { settings });
export const trayStatus = (): Promise<TrayModel> => invoke("tray_status");

export function onAlertsChanged(handler: () => void): Promise<UnlistenFn> {
  return listen("alerts-changed", () => handler());
}
export function onOpenAlerts(handler: (paperKey: string) => void): Promise<UnlistenFn> {
  return listen<string>("open-alerts", (e) => handler(e.payload));
}

// ---- Start-up problems --------------------------------------------------------------

export interface StartupProblem {
  kind: string;
  message: string;
  dbPath: string;
}

export const startupProblem = (): Promise<StartupProblem | null> => invoke("startup_problem");
export const moveLibraryAside = (): Promise<string> => invoke("move_library_aside");
export const restartApp = (): Promise<void> => invoke("restart_app");
export const quitApp = (): Promise<void> => invoke("quit_app");
export const appReady = (): Promise<number | null> => invoke("app_ready");

export const openLink = (url: string): Promise<void> => invoke("open_link", { url });

// ---- Reading views ------------------------------------------------------------------

/** Why a paper stands where it does in For you's order. */
export interface Why {
  /** In a list or 👍: it leads. */
  yours: boolean;
  because: Because[];
  words: string[];
}

export interface Feed {
  from: string;
  to: string;
  papers: Paper[];
  /** In For you's order: why, beside each paper. */
  why: Why[] | null;
}

export type FeedSort = "upvotes" | "date" | "foryou";

export const feed = (from: string, to: string | null, sort: FeedSort, limit = 2000): Promise<Feed> =>
  invoke("feed", { from, to, sort, limit });
export const paper = (key: string): Promise<Paper> => invoke("paper", { key });
export const similar = (key: string, k = 10): Promise<[Paper, number][]> => invoke("similar", { key, k });
/** Puts a paper's BibTeX entry or link on the clipboard; resolves to the copied text. */
export const copyCitation = (key: string, format: "bibtex" | "link"): Promise<string> => invoke("copy_citation", { key, format });

// ---- The map ------------------------------------------------------------------------

export interface LibraryMap {
  keys: string[];
  titles: string[];
  /** Titles with formulas: point index and where the formulas sit. */
  titleMath: [number, MathSpan[]][];
  xs: number[];
  ys: number[];
  groups: number[];
  categories: string[];
  lists: { id: number; name: string; members: number[] }[];
  unplaced: number;
}

export const libraryMap = (): Promise<LibraryMap> => invoke("library_map");
export function onMapProgress(handler: (p: { done: number; total: number }) => void): Promise<UnlistenFn> {
  return listen<{ done: number; total: number }>("map-progress", (e) => handler(e.payload));
}

// ---- Model and data folder settings -------------------------------------------------

export interface EmbeddingSettings {
  model: string | null;
  provider: string | null;
}

export interface ModelChoice {
  name: string;
  description: string;
  maxLength: number;
  downloadMb: number;
}

export interface EmbeddingView {
  configured: EmbeddingSettings;
  active: ModelStatus;
  catalogue: ModelChoice[];
  cudaAvailable: boolean;
  overriddenBy: string[];
}

export interface DataFolder {
  path: string;
  source: "flag" | "environment" | "chosen" | "default";
  next: string | null;
}

export const embeddingSettings = (): Promise<EmbeddingView> => invoke("embedding_settings");
export const setEmbeddingSettings = (settings: EmbeddingSettings): Promise<ModelStatus> =>
  invoke("set_embedding_settings", { settings });
export const dataFolder = (): Promise<DataFolder> => invoke("data_folder");
export const chooseDataFolder = (): Promise<DataFolder | null> => invoke("choose_data_folder");
