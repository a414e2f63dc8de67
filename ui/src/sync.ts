// The Sync button, its progress bar and report, and the sync settings dialog.
// Everything shown comes from Rust: progress events while a sync runs, the report
// when it ends. Remote text is set with textContent only.
import * as api from "./api";
import { byId, paceText } from "./dom";
import { standing, topPercent } from "./alerts";

const SOURCE_NAMES: Record<string, string> = { hf: "Hugging Face", arxiv: "arXiv", biorxiv: "bioRxiv", medrxiv: "medRxiv", openreview: "OpenReview", feeds: "Journal feeds" };


const button = byId<HTMLButtonElement>("sync");
const bar = byId<HTMLProgressElement>("sync-progress");
const stage = byId("sync-stage");
const report = byId("sync-report");
const panel = byId("sync-panel");

function describe(p: api.SyncProgress): string {
  switch (p.stage) {
    case "fetching":
      return `${SOURCE_NAMES[p.source] ?? p.source}: fetching ${p.what}…`;
    case "stored":
      return `${SOURCE_NAMES[p.source] ?? p.source}: ${p.papers} papers stored`;
    case "embedding": {
      const pace = paceText(p.rate, p.etaS);
      return `Indexing meaning ${p.done.toLocaleString()}/${p.total.toLocaleString()}${pace ? ` (${pace})` : ""}`;
    }
  }
}

let running = false;

function onProgress(p: api.SyncProgress): void {
  if (p.stage === "embedding" && p.done >= p.total && !running) {
    // Indexing outside a sync (the start-up pass) that is finished, or had nothing to
    // do: nothing is running, so nothing may look like it is.
    bar.hidden = true;
    if (!report.hasChildNodes()) panel.hidden = true;
    return;
  }
  panel.hidden = false;
  bar.hidden = false;
  stage.textContent = describe(p);
  if (p.stage === "embedding" && p.total > 0) {
    bar.max = p.total;
    bar.value = p.done;
  } else if (p.stage === "fetching") {
    bar.removeAttribute("value"); // indeterminate while waiting on the network
  }
}

function line(text: string, className?: string): HTMLElement {
  const li = document.createElement("li");
  li.textContent = text;
  if (className) li.className = className;
  return li;
}

/** The report, one line per source; offline is said once and quietly. */
export function renderReport(r: api.SyncReport): void {
  const items: HTMLElement[] = [];
  const offline = r.sources.filter((s) => s.offline);
  for (const s of r.sources) {
    const name = SOURCE_NAMES[s.source] ?? s.source;
    if (s.offline) continue;
    const li = line(`${name}: ${s.new} new, ${s.updated} updated`);
    li.dataset.source = s.source;
    li.dataset.new = String(s.new);
    items.push(li);
    if (s.error) items.push(line(`${name}: ${s.error}`, "error"));
    if (s.skipped.length > 0) {
      const sk = line(`${name}: ${s.skipped.length} item${s.skipped.length === 1 ? "" : "s"} skipped`, "muted");
      sk.title = s.skipped.slice(0, 20).join("\n");
      items.push(sk);
    }
  }
  if (offline.length === r.sources.length && r.sources.length > 0) {
    items.push(line("You are offline. Your library works as usual; sync again when connected.", "muted offline"));
  } else if (offline.length > 0) {
    items.push(line(`${offline.map((s) => SOURCE_NAMES[s.source] ?? s.source).join(", ")}: unreachable, skipped`, "muted offline"));
  }
  if (r.listEntriesResolved > 0) items.push(line(`Reading lists: ${r.listEntriesResolved} waiting entr${r.listEntriesResolved === 1 ? "y" : "ies"} resolved`));
  if (r.embedError) items.push(line(`Indexing postponed: ${r.embedError}`, "error"));
  const list = document.createElement("ul");
  list.append(...items);
  report.replaceChildren(list);
  report.dataset.done = "true";
}

async function runSync(): Promise<void> {
  running = true;
  button.disabled = true;
  button.textContent = "Syncing…";
  report.replaceChildren();
  delete report.dataset.done;
  panel.hidden = false;
  bar.hidden = false;
  bar.removeAttribute("value");
  stage.textContent = "Starting…";
  try {
    const r = await api.syncNow();
    renderReport(r);
    // Only a sync that reached a source may say it synced.
    const reached = r.sources.some((s) => !s.offline);
    stage.textContent = reached ? `Synced at ${new Date().toLocaleTimeString()}` : "Not synced: no source could be reached";
  } catch (e) {
    const msg = api.errText(e);
    report.replaceChildren(line(msg, "error"));
    report.dataset.done = "true";
    stage.textContent = "Sync did not run";
  } finally {
    running = false;
    bar.hidden = true;
    button.disabled = false;
    button.textContent = "Sync";
  }
}

// ---- Settings dialog ----------------------------------------------------------------

const dialog = byId<HTMLDialogElement>("settings");
const form = byId<HTMLFormElement>("settings-form");
const fHf = byId<HTMLInputElement>("set-hf");
const fArxiv = byId<HTMLInputElement>("set-arxiv");
const fDays = byId<HTMLInputElement>("set-days");
const catChips = byId<HTMLUListElement>("cat-chips");
const catSearch = byId<HTMLInputElement>("cat-search");
const catMatches = byId<HTMLUListElement>("cat-matches");
/** arXiv's taxonomy (loaded once) and the categories picked. */
let taxonomy: api.Category[] = [];
let picked: string[] = [];

const categoryName = (code: string): string => taxonomy.find((c) => c.code === code)?.name ?? "";

function showPicked(): void {
  catChips.replaceChildren(
    ...picked.map((code) => {
      const li = document.createElement("li");
      li.className = "chip cat";
      li.dataset.code = code;
      const name = categoryName(code);
      li.textContent = name ? `${code} · ${name}` : code;
      const x = document.createElement("button");
      x.type = "button";
      x.className = "small";
      x.textContent = "×";
      x.title = `Stop following ${code}`;
      x.setAttribute("aria-label", `Remove ${code}`);
      x.addEventListener("click", () => {
        picked = picked.filter((c) => c !== code);
        showPicked();
        showMatches();
      });
      li.append(x);
      return li;
    }),
  );
}

/** The categories matching every typed word (code, name or group), not yet picked. */
function showMatches(): void {
  const words = catSearch.value.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  const found = words.length === 0 ? [] : taxonomy.filter((c) => !picked.includes(c.code) && words.every((w) => `${c.code} ${c.name} ${c.group}`.toLowerCase().includes(w)));
  catMatches.replaceChildren(
    ...found.slice(0, 12).map((c) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.tabIndex = 0;
      li.dataset.code = c.code;
      li.textContent = `${c.code} · ${c.name} (${c.group})`;
      const pick = () => {
        picked = [...picked, c.code];
        catSearch.value = "";
        showPicked();
        showMatches();
        catSearch.focus();
      };
      li.addEventListener("click", pick);
      li.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter") {
          ev.preventDefault();
          pick();
        }
      });
      return li;
    }),
  );
}
const fBackfill = byId<HTMLInputElement>("set-backfill");
const fBiorxiv = byId<HTMLInputElement>("set-biorxiv");
const fBiorxivSubjects = byId<HTMLInputElement>("set-biorxiv-subjects");
const fMedrxiv = byId<HTMLInputElement>("set-medrxiv");
const fMedrxivSubjects = byId<HTMLInputElement>("set-medrxiv-subjects");
const fContact = byId<HTMLInputElement>("set-contact-email");
const fZoteroDir = byId<HTMLInputElement>("set-zotero-dir");
const fOpenreview = byId<HTMLInputElement>("set-openreview");
const fVenues = byId<HTMLInputElement>("set-venues");
const feedList = byId<HTMLUListElement>("feed-list");
const feedUrl = byId<HTMLInputElement>("feed-url");
const feedError = byId("feed-error");

/** The followed feeds, each with its title (once synced) and a Remove button. Added
 *  and removed at once, not on Save: the list is the settings. */
function showFeeds(list: api.FeedInfo[]): void {
  feedList.replaceChildren(
    ...list.map((f) => {
      const li = document.createElement("li");
      li.className = "feed";
      const name = document.createElement("span");
      name.textContent = f.title ? `${f.title} — ${f.url}` : `${f.url} (not synced yet)`;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "small";
      remove.textContent = "Remove";
      remove.addEventListener("click", () => void changeFeeds(api.removeFeed(f.url)));
      li.append(name, remove);
      return li;
    }),
  );
  if (loaded) loaded = { ...loaded, feedUrls: list.map((f) => f.url), feeds: list.length > 0 };
}

async function changeFeeds(change: Promise<api.FeedInfo[]>): Promise<void> {
  feedError.textContent = "";
  try {
    showFeeds(await change);
    feedUrl.value = "";
  } catch (e) {
    feedError.textContent = api.errText(e);
  }
}
/** The settings as loaded: what the dialog does not show (mirror URLs) is kept. */
let loaded: api.SyncSettings | null = null;
const fError = byId("settings-error");
const fPaused = byId<HTMLInputElement>("set-paused");
const fInterval = byId<HTMLInputElement>("set-interval");
const fQuiet = byId<HTMLInputElement>("set-quiet");
const fQuietFrom = byId<HTMLInputElement>("set-quiet-from");
const fQuietTo = byId<HTMLInputElement>("set-quiet-to");
const fCloseToTray = byId<HTMLInputElement>("set-close-to-tray");
const fAutostart = byId<HTMLInputElement>("set-autostart");
const desktopStatus = byId("desktop-status");
const fListThreshold = byId<HTMLInputElement>("set-list-threshold");
const fSearchThreshold = byId<HTMLInputElement>("set-search-threshold");
const fModel = byId<HTMLSelectElement>("set-model");
const fProvider = byId<HTMLSelectElement>("set-provider");
const modelNote = byId("model-note");
const dataPath = byId("data-path");
const dataNote = byId("data-note");
const dataChange = byId<HTMLButtonElement>("data-change");
const dataRestart = byId<HTMLButtonElement>("data-restart");
let embedding: api.EmbeddingView | null = null;

function describeModel(): void {
  if (!embedding) return;
  const c = embedding.catalogue.find((m) => m.name === fModel.value);
  const a = embedding.active;
  const cores = a.provider !== "cuda" && a.threads ? ` with ${a.threads} thread${a.threads === 1 ? "" : "s"} (this machine has ${navigator.hardwareConcurrency} cores)` : "";
  const running = a.model ? `Running: ${a.model} on ${a.provider === "cuda" ? "the GPU" : "the CPU"}${cores}.` : a.state === "error" ? `Not running: ${a.message ?? "the model could not load"}.` : "Loading…";
  const pick = c && c.name !== a.model ? ` ${c.description} The first use downloads about ${c.downloadMb} MB, then the library is indexed again in the background; search keeps working meanwhile.` : c ? ` ${c.description}` : "";
  const env = embedding.overriddenBy.length > 0 ? ` ${embedding.overriddenBy.join(" and ")} set in the environment override${embedding.overriddenBy.length === 1 ? "s" : ""} this choice.` : "";
  modelNote.textContent = running + pick + env;
}

function showDataFolder(d: api.DataFolder): void {
  dataPath.textContent = d.path;
  dataChange.disabled = d.source === "environment";
  dataRestart.hidden = d.next === null;
  dataNote.textContent =
    d.source === "environment"
      ? "Set by PAPERSIFT_DATA_DIR in the environment."
      : d.next
        ? `From the next start: ${d.next}. This library stays where it is, untouched.`
        : "Moving copies the library to a folder you choose (or opens the library already there); this one is kept.";
}

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const minutes = (t: string): number => {
  const [h, m] = t.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

async function openSettings(): Promise<void> {
  fError.textContent = "";
  try {
    const s = await api.syncSettings();
    loaded = s;
    fHf.checked = s.hf;
    fBiorxiv.checked = s.biorxiv;
    fBiorxivSubjects.value = s.biorxivSubjects.join(", ");
    fMedrxiv.checked = s.medrxiv;
    fMedrxivSubjects.value = s.medrxivSubjects.join(", ");
    fContact.value = s.contactEmail ?? "";
    fZoteroDir.value = s.zoteroDir ?? "";
    fOpenreview.checked = s.openreview;
    fVenues.value = s.openreviewVenues.join(", ");
    feedError.textContent = "";
    showFeeds(await api.feeds());
    fArxiv.checked = s.arxiv;
    fDays.value = String(s.days);
    if (taxonomy.length === 0) taxonomy = await api.arxivCategories();
    picked = [...s.categories];
    catSearch.value = "";
    showPicked();
    showMatches();
    fBackfill.value = String(s.backfillDays);
    const a = await api.alertSettings();
    fPaused.checked = a.paused;
    fInterval.value = String(a.syncIntervalMinutes);
    fQuiet.checked = a.quietHours !== null;
    fQuietFrom.value = hhmm(a.quietHours?.[0] ?? 22 * 60);
    fQuietTo.value = hhmm(a.quietHours?.[1] ?? 7 * 60);
    fCloseToTray.checked = a.closeToTray;
    fAutostart.checked = a.startAtLogin;
    fListThreshold.value = topPercent(a.listThreshold);
    fSearchThreshold.value = topPercent(a.searchThreshold);
    embedding = await api.embeddingSettings();
    fModel.replaceChildren(
      ...embedding.catalogue.map((m) => {
        const o = document.createElement("option");
        o.value = m.name;
        o.textContent = m.name;
        return o;
      }),
    );
    fModel.value = embedding.configured.model ?? embedding.active.model ?? embedding.catalogue[0]?.name ?? "";
    fProvider.value = embedding.configured.provider ?? "auto";
    const cuda = fProvider.querySelector<HTMLOptionElement>("option[value='cuda']");
    if (cuda) cuda.textContent = embedding.cudaAvailable ? "an NVIDIA GPU (CUDA)" : "an NVIDIA GPU (CUDA; not available in this ONNX Runtime)";
    describeModel();
    showDataFolder(await api.dataFolder());
    const t = await api.trayStatus();
    desktopStatus.textContent = [
      t.tray ? "Tray icon: shown." : `No tray icon: ${t.trayError ?? "this desktop has no tray"}. Closing the window quits.`,
      t.notifications ? `Notifications: ${t.notifications}.` : "No notification server: matches appear in Alerts only.",
    ].join(" ");
  } catch (e) {
    fError.textContent = api.errText(e);
  }
  dialog.showModal();
}

async function saveSettings(ev: SubmitEvent): Promise<void> {
  ev.preventDefault();
  if ((ev.submitter as HTMLButtonElement | null)?.value === "cancel") {
    dialog.close();
    return;
  }
  const subjects = (f: HTMLInputElement) => f.value.split(",").map((x) => x.trim()).filter((x) => x.length > 0);
  const settings: api.SyncSettings = {
    ...loaded,
    hf: fHf.checked,
    arxiv: fArxiv.checked,
    biorxiv: fBiorxiv.checked,
    medrxiv: fMedrxiv.checked,
    openreview: fOpenreview.checked,
    openreviewVenues: fVenues.value.split(/[\s,]+/).filter((v) => v.length > 0),
    feeds: loaded?.feeds ?? false,
    feedUrls: loaded?.feedUrls ?? [],
    days: Number(fDays.value),
    categories: picked,
    backfillDays: Number(fBackfill.value),
    biorxivSubjects: subjects(fBiorxivSubjects),
    medrxivSubjects: subjects(fMedrxivSubjects),
    contactEmail: fContact.value.trim(),
    zoteroDir: fZoteroDir.value.trim(),
  };
  const alerts: api.AlertSettings = {
    paused: fPaused.checked,
    syncIntervalMinutes: Number(fInterval.value),
    quietHours: fQuiet.checked ? [minutes(fQuietFrom.value), minutes(fQuietTo.value)] : null,
    closeToTray: fCloseToTray.checked,
    startAtLogin: fAutostart.checked,
    listThreshold: standing(Number(fListThreshold.value)),
    searchThreshold: standing(Number(fSearchThreshold.value)),
  };
  const model: api.EmbeddingSettings = { model: fModel.value || null, provider: fProvider.value === "auto" ? null : fProvider.value };
  const modelChanged = embedding !== null && (model.model !== (embedding.configured.model ?? embedding.active.model) || model.provider !== embedding.configured.provider);
  const save = byId<HTMLButtonElement>("settings-save");
  try {
    save.disabled = true;
    await api.setSyncSettings(settings);
    await api.setAlertSettings(alerts);
    if (modelChanged) {
      fError.textContent = "";
      modelNote.textContent = `Loading ${model.model ?? "the model"}…`;
      await api.setEmbeddingSettings(model);
    }
    dialog.close();
  } catch (e) {
    fError.textContent = api.errText(e);
    describeModel();
  } finally {
    save.disabled = false;
  }
}

export function initSync(): void {
  fModel.addEventListener("change", describeModel);
  dataChange.addEventListener("click", () => {
    void api
      .chooseDataFolder()
      .then((d) => d && showDataFolder(d))
      .catch((e) => {
        fError.textContent = api.errText(e);
      });
  });
  dataRestart.addEventListener("click", () => void api.restartApp());
  button.addEventListener("click", () => void runSync());
  byId("sync-dismiss").addEventListener("click", () => {
    panel.hidden = true;
  });
  byId("settings-open").addEventListener("click", () => void openSettings());
  catSearch.addEventListener("input", showMatches);
  catSearch.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault(); // not the dialog's Save: Enter picks the first match
      catMatches.querySelector<HTMLLIElement>("li")?.click();
    }
  });
  byId("feed-add").addEventListener("click", () => void changeFeeds(api.addFeed(feedUrl.value)));
  feedUrl.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault(); // not the dialog's Save
      void changeFeeds(api.addFeed(feedUrl.value));
    }
  });
  form.addEventListener("submit", (ev) => void saveSettings(ev));
  void api.onSyncProgress(onProgress);
  // A sync started elsewhere (the CLI) shows as busy until it ends.
  void api.syncStatus().then((s) => {
    const failed = s.sources.filter((x) => x.lastError);
    if (failed.length > 0) {
      panel.hidden = false;
      report.replaceChildren(
        ...failed.map((x) => line(`${SOURCE_NAMES[x.source] ?? x.source}: last sync failed: ${x.lastError}`, "error")),
      );
    }
  });
}
