"""MCP `search` latency: starts `papersift mcp` on a library with the official MCP
Python SDK (.deps/venv, installed by scripts/setup.sh), then times `search` calls from
the client's side (request out, answer parsed), one query per line of QUERIES, after
two warm-up calls. Prints the median and p95 in milliseconds and the mean results.

usage: .deps/venv/bin/python bench/mcp_search.py PAPERSIFT DATA_DIR QUERIES [--mode hybrid] [--k 10] [--rounds 1]
"""
import argparse
import asyncio
import json
import os
import statistics
import time

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("papersift")
    ap.add_argument("data_dir")
    ap.add_argument("queries")
    ap.add_argument("--mode", default="hybrid")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=1)
    a = ap.parse_args()
    with open(a.queries, encoding="utf-8") as f:
        queries = [line.strip() for line in f if line.strip()]
    env = {k: v for k, v in os.environ.items() if k.startswith(("PAPERSIFT_", "ORT_"))}
    params = StdioServerParameters(command=a.papersift, args=["--data-dir", a.data_dir, "mcp"], env=env)
    times, counts = [], []
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            for q in queries[:2]:
                await session.call_tool("search", {"query": q, "k": a.k, "mode": a.mode})
            for _ in range(a.rounds):
                for q in queries:
                    t = time.perf_counter()
                    r = await session.call_tool("search", {"query": q, "k": a.k, "mode": a.mode})
                    body = json.loads(r.content[0].text)
                    times.append((time.perf_counter() - t) * 1000)
                    counts.append(len(body["results"]))
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(json.dumps({
        "queries": len(times),
        "mode": a.mode,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(times[-1], 1),
        "mean_results": round(sum(counts) / len(counts), 2),
    }))


asyncio.run(main())
