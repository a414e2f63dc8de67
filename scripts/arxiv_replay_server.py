#!/usr/bin/env python3
"""A loopback stand-in for the arXiv API, for sync benchmarks (not used by the tests).

Serves the papers of a JSON Lines file (the `../shared/data/arxiv` format: id, title,
abstract, authors, categories, first_seen) as arXiv API Atom pages, honouring `start`
and `max_results`, reporting `opensearch:totalResults`, and keeping to the
`submittedDate:[FROM TO TO]` range of `search_query` as arXiv does (papers by their
`first_seen` day). The listing feed (`/atom/...`) and Daily Papers
(`/api/daily_papers`) answer empty, so `papersift sync --source arxiv --backfill-days N`
back-fills the papers of the file in those days.

    python3 scripts/arxiv_replay_server.py FILE.jsonl [--port 8765] [--limit N]
"""
import argparse
import gzip
import json
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">')


def entry(p):
    day = p.get("first_seen") or "2025-01-01"
    authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in p.get("authors", []))
    cats = "".join(f'<category term="{escape(c)}"/>' for c in p.get("categories", []))
    return (f"<entry><id>http://arxiv.org/abs/{escape(p['id'])}v1</id>"
            f"<updated>{day}T00:00:00Z</updated><published>{day}T00:00:00Z</published>"
            f"<title>{escape(p['title'])}</title><summary>{escape(p['abstract'])}</summary>"
            f"{authors}{cats}</entry>")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    opener = gzip.open if args.file.endswith(".gz") else open
    with opener(args.file, "rt", encoding="utf-8") as f:
        papers = [json.loads(line) for line in f if line.strip()]
    if args.limit:
        papers = papers[: args.limit]
    # Newest first, as the client asks (sortBy=submittedDate, descending).
    papers.sort(key=lambda p: p.get("first_seen") or "2025-01-01", reverse=True)
    entries = [((p.get("first_seen") or "2025-01-01").replace("-", ""), entry(p)) for p in papers]
    by_query = {}

    def matching(query):
        if query not in by_query:
            m = re.search(r"submittedDate:\[(\d{8})\d* TO (\d{8})\d*\]", query)
            lo, hi = (m.group(1), m.group(2)) if m else ("0", "99999999")
            by_query[query] = [e for day, e in entries if lo <= day <= hi]
        return by_query[query]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def send(self, body, ctype):
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlparse(self.path)
            if url.path.startswith("/api/daily_papers"):
                return self.send("[]", "application/json")
            if url.path.startswith("/atom"):
                return self.send(HEAD + "</feed>", "application/atom+xml")
            q = parse_qs(url.query)
            start = int(q.get("start", ["0"])[0])
            n = int(q.get("max_results", ["10"])[0])
            found = matching(q.get("search_query", [""])[0])
            page = "".join(found[start:start + n])
            total = f"<opensearch:totalResults>{len(found)}</opensearch:totalResults>"
            self.send(HEAD + total + page + "</feed>", "application/atom+xml")

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"serving {len(entries)} papers on http://127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
