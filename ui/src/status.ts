// The status line: papers, indexing progress and pace, the model and where it runs,
// and the keyword index while it builds.
import * as api from "./api";
import { byId, paceText } from "./dom";

const status = byId("status");

export async function refreshStatus(): Promise<void> {
  try {
    const s = await api.libraryStatus();
    const m = s.model;
    let text = `${s.papers.toLocaleString()} papers`;
    if (m.state === "loading") text += " · loading the embedding model…";
    else if (m.state === "embedding") {
      const pace = paceText(m.rate, m.etaS);
      text += ` · indexing meaning ${m.done.toLocaleString()}/${m.total.toLocaleString()}${pace ? ` (${pace})` : ""}`;
    }
    else if (m.state === "error") text += ` · keyword search only: ${m.message ?? "embedding model unavailable"}`;
    else if (m.state === "ready" || m.state === "loaded") text += ` · ${s.embedded.toLocaleString()} indexed by meaning`;
    if (m.model && m.state !== "error") text += ` (${m.model} on ${m.provider === "cuda" ? "the GPU" : "the CPU"})`;
    const k = s.keywords;
    if (k.state === "building") {
      text += ` · building the keyword index ${k.done.toLocaleString()}/${k.total.toLocaleString()}`;
    }
    status.textContent = text;
    status.dataset.keywords = k.state;
    status.dataset.ready = String(m.state === "ready" && s.embedded === s.papers);
    status.dataset.state = m.state;
  } catch (e) {
    status.textContent = api.errText(e);
    status.dataset.state = "error";
  }
}
