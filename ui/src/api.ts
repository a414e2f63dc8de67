// The only module that talks to the Tauri backend. Everything else imports these
// typed wrappers, so the IPC surface is visible in one place.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  Paper,
  SearchMode,
  SearchHit,
  Filter,
  Suggestion,
  QueryReading,
  ModelStatus,
  LibraryStatus,
  StartupProblem,
  IpcError,
  SyncProgress,
  SyncReport,
  SyncState,
  SyncStatus,
  SyncSettings,
  FeedInfo,
  Category,
  ExportFormat,
  FollowReport,
  ZoteroOverview,
  Saved,
  ListSummary,
  ListItem,
  Recommendation,
  Rating,
  PaperMarks,
  RatedPaper,
  UnseenCounts,
  ImportOutcome,
  ImportEvent,
  AlertRule,
  AlertMatch,
  Preview,
  AlertSettings,
  TrayModel,
  Feed,
  LibraryMap,
  EmbeddingSettings,
  EmbeddingView,
  DataFolder,
} from "./bindings";
// The types that cross IPC, generated from Rust.
export type * from "./bindings";
/** A source's sync state (the name the window uses). */
export type SourceState = SyncState;












export function isIpcError(e: unknown): e is IpcError {
  return typeof e === "object" && e !== null && "kind" in e && "message" in e;
}

/** What a failed call says to the user: the command's message, else the error's text. */
export function errText(e: unknown): string {
  return isIpcError(e) ? e.message : String(e);
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


export function queryHint(query: string): Promise<QueryReading> {
  return invoke<QueryReading>("query_hint", { query });
}

/** The query syntax, shown behind the `?` next to the search box. */
export function querySyntax(): Promise<string> {
  return invoke<string>("query_syntax");
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

/** arXiv's category taxonomy. */
export function arxivCategories(): Promise<Category[]> {
  return invoke<Category[]>("arxiv_categories");
}

/** The journal feeds followed. */
export function feeds(): Promise<FeedInfo[]> {
  return invoke<FeedInfo[]>("feeds");
}

/** Follows a feed (and turns feeds on). */
export function addFeed(url: string): Promise<FeedInfo[]> {
  return invoke<FeedInfo[]>("add_feed", { url });
}

/** Stops following a feed; its papers stay. */
export function removeFeed(url: string): Promise<FeedInfo[]> {
  return invoke<FeedInfo[]>("remove_feed", { url });
}

export function onSyncProgress(handler: (p: SyncProgress) => void): Promise<UnlistenFn> {
  return listen<SyncProgress>("sync-progress", (e) => handler(e.payload));
}

// ---- Reading lists ------------------------------------------------------------------









/** Rates a paper inside a list (or anywhere); `null` clears that rating. Committed on return. */
export const rate = (paper: string, list: number | null, rating: Rating | null): Promise<void> =>
  invoke("rate", { paper, list, rating });
export const ratings = (): Promise<RatedPaper[]> => invoke("ratings");
export const resetRatings = (list: number | null): Promise<number> => invoke("reset_ratings", { list });
export const marks = (keys: string[], list: number | null): Promise<PaperMarks[]> => invoke("marks", { keys, list });
export const markPapersSeen = (keys: string[]): Promise<number> => invoke("mark_papers_seen", { keys });
export const unseenRecommendations = (): Promise<UnseenCounts> => invoke("unseen_recommendations");
export const coldStart = (): Promise<Paper[]> => invoke("cold_start");






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
/** Asks where to save, then writes the list in `format`; the path, or null if cancelled. */
export const zoteroCollections = (dir: string | null): Promise<ZoteroOverview> => invoke("zotero_collections", { dir });
export const linkZotero = (dir: string | null, libraryId: number, collection: string | null): Promise<FollowReport> =>
  invoke("link_zotero", { dir, libraryId, collection });
export const linkFileWithDialog = (): Promise<FollowReport | null> => invoke("link_file_with_dialog");
export const followLists = (id: number | null): Promise<FollowReport[]> => invoke("follow_lists", { id });
export const unlinkList = (id: number): Promise<boolean> => invoke("unlink_list", { id });
export const saveToZotero = (key: string): Promise<Saved> => invoke("save_to_zotero", { key });
export const exportList = (id: number, format: ExportFormat): Promise<string | null> => invoke("export_list", { id, format });

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


export const startupProblem = (): Promise<StartupProblem | null> => invoke("startup_problem");
export const moveLibraryAside = (): Promise<string> => invoke("move_library_aside");
export const restartApp = (): Promise<void> => invoke("restart_app");
export const quitApp = (): Promise<void> => invoke("quit_app");
export const appReady = (): Promise<number | null> => invoke("app_ready");

export const openLink = (url: string): Promise<void> => invoke("open_link", { url });

// ---- Reading views ------------------------------------------------------------------



export type FeedSort = "upvotes" | "date" | "foryou";

export const feed = (from: string, to: string | null, sort: FeedSort, limit = 2000): Promise<Feed> =>
  invoke("feed", { from, to, sort, limit });
export const paper = (key: string): Promise<Paper> => invoke("paper", { key });
export const similar = (key: string, k = 10): Promise<[Paper, number][]> => invoke("similar", { key, k });
/** Puts a paper's BibTeX entry or link on the clipboard; resolves to the copied text. */
export const copyCitation = (key: string, format: "bibtex" | "link"): Promise<string> => invoke("copy_citation", { key, format });

// ---- The map ------------------------------------------------------------------------


export const libraryMap = (): Promise<LibraryMap> => invoke("library_map");
export function onMapProgress(handler: (p: { done: number; total: number }) => void): Promise<UnlistenFn> {
  return listen<{ done: number; total: number }>("map-progress", (e) => handler(e.payload));
}

// ---- Model and data folder settings -------------------------------------------------





export const embeddingSettings = (): Promise<EmbeddingView> => invoke("embedding_settings");
export const setEmbeddingSettings = (settings: EmbeddingSettings): Promise<ModelStatus> =>
  invoke("set_embedding_settings", { settings });
export const dataFolder = (): Promise<DataFolder> => invoke("data_folder");
export const chooseDataFolder = (): Promise<DataFolder | null> => invoke("choose_data_folder");
