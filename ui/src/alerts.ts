// The Alerts view: past matches (unseen first) and the rules, each with a threshold
// slider that previews what it would have matched in the last 7 days. A threshold is a
// standing: a new paper alerts when the rule's ranker puts it in the library's top share.
import * as api from "./api";
import { paperCard } from "./cards";
import { button, byId, el } from "./dom";
import { loadMarks } from "./ratings";

/** An alert threshold (a standing: the share of the library a paper ranks above) as the
 *  top share in percent, and back. */
export function topPercent(standing: number): string {
  return String(Math.round((1 - standing) * 10000) / 100);
}
export function standing(topPercent: number): number {
  return Math.round((1 - topPercent / 100) * 10000) / 10000;
}
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
  // The slider picks the top share in percent.
  slider.min = "0.1";
  slider.max = "10";
  slider.step = "0.1";
  slider.value = topPercent(rule.threshold);
  slider.title = "Alert on new papers in this share of your library for the rule";
  const value = el("span", "threshold-value", `top ${topPercent(rule.threshold)}%`);
  const preview = el("span", "preview muted", "");
  let timer: number | undefined;
  const update = () => {
    value.textContent = `top ${Number(slider.value)}%`;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      void api
        .previewAlert(rule.listId, rule.query, standing(Number(slider.value)))
        .then((p) => {
          preview.textContent = `${p.count} paper${p.count === 1 ? "" : "s"} in the last 7 days`;
          preview.title = p.papers.map(([paper, s]) => `top ${topPercent(s)}%  ${paper.title}`).join("\n");
        })
        .catch((e) => {
          preview.textContent = api.errText(e);
        });
    }, 150);
  };
  const save = () => {
    void api.updateAlertRule(rule.id, standing(Number(slider.value)), on.checked).catch((e) => say(api.errText(e)));
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
    rulesBox.append(el("p", "error", api.errText(e)));
  }
  head.replaceChildren(title, actions, rulesBox);
  try {
    const matches = await api.alertMatches();
    await loadMarks(matches.map((m) => m.paper.key));
    if (matches.length === 0) {
      results.replaceChildren(el("p", "empty-note", "New papers that match your alerts appear here after a sync."));
      return;
    }
    results.replaceChildren(
      ...matches.map((m) => {
        const chip = el("span", "chip why", `‘${m.ruleName}’ · top ${topPercent(m.score)}%`);
        chip.title = "Where the rule's ranker put this paper in your library when it arrived";
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
    results.replaceChildren(el("p", "empty-note", api.errText(e)));
  }
}
