// The Alerts view: past matches (unseen first) and the rules, each with a threshold
// slider that previews what it would have matched in the last 7 days.
import * as api from "./api";
import { paperCard } from "./cards";
import { button, byId, el } from "./dom";

const badge = byId("alerts-badge");

export async function refreshBadge(): Promise<void> {
  try {
    const t = await api.trayStatus();
    badge.textContent = t.unseen > 0 ? String(t.unseen) : "";
    badge.hidden = t.unseen === 0;
  } catch {
    badge.hidden = true;
  }
}

function ruleRow(rule: api.AlertRule, rerender: () => void, say: (t: string) => void): HTMLElement {
  const row = el("div", "rule");
  row.dataset.rule = String(rule.id);
  const on = el("input");
  on.type = "checkbox";
  on.checked = rule.enabled;
  on.title = "Alerts on";
  const label = el("label", "rule-name");
  label.append(on, el("span", undefined, ` ${rule.name}`), el("span", "muted", rule.kind === "list" ? " · list" : " · search"));
  const slider = el("input", "threshold");
  slider.type = "range";
  slider.min = "0.2";
  slider.max = "0.9";
  slider.step = "0.01";
  slider.value = String(rule.threshold);
  const value = el("span", "threshold-value", rule.threshold.toFixed(2));
  const preview = el("span", "preview muted", "");
  let timer: number | undefined;
  const update = () => {
    value.textContent = Number(slider.value).toFixed(2);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      void api
        .previewAlert(rule.listId, rule.query, Number(slider.value))
        .then((p) => {
          preview.textContent = `${p.count} paper${p.count === 1 ? "" : "s"} in the last 7 days`;
          preview.title = p.papers.map(([paper, s]) => `${s.toFixed(2)}  ${paper.title}`).join("\n");
        })
        .catch((e) => {
          preview.textContent = api.isIpcError(e) ? e.message : String(e);
        });
    }, 150);
  };
  const save = () => {
    void api.updateAlertRule(rule.id, Number(slider.value), on.checked).catch((e) => say(api.isIpcError(e) ? e.message : String(e)));
  };
  slider.addEventListener("input", update);
  slider.addEventListener("change", save);
  on.addEventListener("change", save);
  row.append(
    label,
    slider,
    value,
    preview,
    button("Delete", "small", () => {
      void api.deleteAlertRule(rule.id).then(rerender);
    }),
  );
  update();
  return row;
}

/** Renders the view into `head` and `results`. */
export async function renderAlerts(head: HTMLElement, results: HTMLElement, say: (t: string) => void): Promise<void> {
  const rerender = () => void renderAlerts(head, results, say);
  head.hidden = false;
  const title = el("h1", "view-title", "Alerts");
  const actions = el("div", "list-actions");
  actions.append(
    button("Mark all seen", "small", () => {
      void api.markSeen(null).then(rerender);
    }),
  );
  const rulesBox = el("div", "rules");
  try {
    const rules = await api.alertRules();
    if (rules.length === 0) {
      rulesBox.append(el("p", "muted", "No alerts yet. Turn them on for a reading list (on its page) or save a search (“Alert me” next to the search box)."));
    }
    rulesBox.append(...rules.map((r) => ruleRow(r, rerender, say)));
  } catch (e) {
    rulesBox.append(el("p", "error", api.isIpcError(e) ? e.message : String(e)));
  }
  head.replaceChildren(title, actions, rulesBox);
  try {
    const matches = await api.alertMatches();
    if (matches.length === 0) {
      results.replaceChildren(el("p", "empty-note", "New papers that match your alerts appear here after a sync."));
      return;
    }
    results.replaceChildren(
      ...matches.map((m) => {
        const chip = el("span", "chip why", `‘${m.ruleName}’ · ${m.score.toFixed(2)}`);
        const actionsList: HTMLElement[] = [];
        if (!m.seen) {
          actionsList.push(
            button("Mark seen", "small", () => {
              void api.markSeen(m.paper.key).then(rerender);
            }),
          );
        }
        const card = paperCard(m.paper, [chip], actionsList);
        card.classList.add("match");
        if (!m.seen) card.classList.add("unseen");
        return card;
      }),
    );
  } catch (e) {
    results.replaceChildren(el("p", "empty-note", api.isIpcError(e) ? e.message : String(e)));
  }
}
