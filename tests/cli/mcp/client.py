"""Drives `papersift mcp` with the official MCP Python SDK (PyPI `mcp`, pinned by
scripts/setup.sh): initialize, list the tools, then make each call of CALLS_JSON in
order. Prints one JSON document for the Rust test to assert on:
{"server", "protocol", "instructions", "tools", "calls": [{"ok": [texts], "isError"} |
{"error", "code"}]}.

usage: client.py PAPERSIFT_BINARY DATA_DIR CALLS_JSON [mcp arguments...]
"""
import asyncio
import json
import os
import sys

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError


async def main() -> None:
    binary, data, calls_file, *extra = sys.argv[1:]
    # The server gets the model, ONNX Runtime and provider settings of the test.
    env = {k: v for k, v in os.environ.items() if k.startswith(("PAPERSIFT_", "ORT_"))}
    params = StdioServerParameters(
        command=binary, args=["--data-dir", data, "mcp", *extra], env=env
    )
    with open(calls_file, encoding="utf-8") as f:
        calls = json.load(f)
    out = {}
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            out["server"] = init.server_info.name
            out["protocol"] = init.protocol_version
            out["instructions"] = init.instructions
            tools = await session.list_tools()
            out["tools"] = sorted(t.name for t in tools.tools)
            results = []
            for name, args in calls:
                try:
                    r = await session.call_tool(name, args)
                    texts = [c.text for c in r.content if c.type == "text"]
                    results.append({"ok": texts, "isError": bool(r.is_error)})
                except MCPError as e:
                    results.append({"error": e.message, "code": e.code})
            out["calls"] = results
    print(json.dumps(out))


asyncio.run(main())
