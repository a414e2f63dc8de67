// Papersift's window starts here: each part wires itself, the router first, and the
// app opens on Today. Remote text (titles, abstracts, authors) is set with textContent
// only: never markup.
import * as api from "./api";
import { refreshBadge } from "./alerts";
import { byId } from "./dom";
import { initKeys } from "./keys";
import { initLists, scheduleUnseenCounts } from "./lists";
import { currentView, rerender, say, show } from "./nav";
import { feedDefault } from "./reading";
import { initSearch, searchAgain } from "./search";
import { refreshStatus } from "./status";
import { initSync } from "./sync";
import { initViews } from "./views";
import { initZotero } from "./zotero";

document.addEventListener("notice", (ev) => say((ev as CustomEvent<string>).detail));
void api.onLibraryChanged(() => {
  void refreshStatus();
  scheduleUnseenCounts(5_000);
  searchAgain();
});
void api.onAlertsChanged(() => {
  void refreshBadge();
  if (currentView().kind === "alerts") rerender();
});
void api.onOpenAlerts(() => show({ kind: "alerts" }));
void refreshBadge();
async function checkStartup(): Promise<void> {
  const problem = await api.startupProblem().catch(() => null);
  if (!problem) return;
  const dlg = byId<HTMLDialogElement>("startup");
  byId("startup-message").textContent = problem.message;
  byId("startup-quit").addEventListener("click", () => void api.quitApp());
  byId("startup-aside").addEventListener("click", () => {
    void api
      .moveLibraryAside()
      .then(() => api.restartApp())
      .catch((e) => {
        byId("startup-error").textContent = api.errText(e);
      });
  });
  dlg.showModal();
}

void checkStartup();
initSync();
initViews();
initLists();
initSearch();
initKeys();
initZotero();
// The app opens on Today, the day's papers (the newest day that has some; its week when
// that day is thin), ranked for the user once there is something to learn from.
void feedDefault(true).then((v) => {
  if (currentView().kind === "search" && !byId<HTMLInputElement>("search").value.trim()) show(v);
});
byId<HTMLInputElement>("search").focus();
// Interactive: the library answered and the search box takes input.
void refreshStatus().then(() => api.appReady());
