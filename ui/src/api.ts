// The only module that talks to the Tauri backend. Everything else imports these
// typed wrappers, so the IPC surface is visible in one place.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

export type SearchMode = "hybrid" | "dense" | "keyword";

export interface Link {
  kind: string;
  url: string;
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
}

export interface ModelStatus {
  state: "loading" | "embedding" | "ready" | "error" | "off";
  done: number;
  total: number;
  message: string | null;
}

export interface LibraryStatus {
  papers: number;
  embedded: number;
  model: ModelStatus;
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

export function search(query: string, mode: SearchMode, k = 30, filter?: Filter): Promise<SearchHit[]> {
  return invoke<SearchHit[]>("search", { query, mode, k, filter });
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
  | { stage: "embedding"; done: number; total: number };

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
