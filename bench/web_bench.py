"""Speed of the live application (``docsearch serve``) on a synthetic index.

    python bench/web_bench.py                       # 100,000 documents, 200 concurrent clients
    python bench/web_bench.py --docs 20000 --no-write
    python bench/web_bench.py --parts search         # the search page and the API only

The server runs in its own process (uvicorn, one worker, 127.0.0.1 only);
the clients run here. Server time is the ``Server-Timing`` header the
application sets (from the request reaching it to the answer starting);
wall time is what the client waited. The run is bounded: a fixed number of
requests per phase, and the concurrent phase stops after ``--seconds``.
The synthetic store (bench/synthetic.py, built as by search_bench.py) is
kept in --workdir and reused. Each phase also reports the server process's
CPU time per request (user + system, from /proc) and the load average, so a
run on a shared machine can be read. Results go into the "web" section of
docs/benchmarks.md unless --no-write is given or only some --parts run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from search_bench import FILTERED, PHRASE, REFERENCE, TERM, build_store  # noqa: E402

from bench_report import machine, write_section  # noqa: E402

try:  # the test extras install httpx2 (Starlette's test client uses it); httpx has the same API
    import httpx2 as httpx  # noqa: E402
except ImportError:  # pragma: no cover
    import httpx  # type: ignore[no-redef]  # noqa: E402

from docsearch.graph.stored import settle  # noqa: E402
from docsearch.search import reindex  # noqa: E402
from docsearch.search.tantivy_engine import SCHEMA_VERSION  # noqa: E402

QUERIES: tuple[str, ...] = tuple(q for kind in (TERM, PHRASE, FILTERED, REFERENCE) for q, _ in kind)
_TIMING = re.compile(r"app;dur=([0-9.]+)")


@dataclass(frozen=True)
class Timings:
    server: list[float]
    wall: list[float]
    errors: int
    #: The server process's CPU milliseconds per request in this phase (nan when unknown).
    cpu: float = float("nan")

    def row(self, label: str) -> str:
        def p(xs: Sequence[float], q: float) -> float:
            return statistics.quantiles(xs, n=100, method="inclusive")[int(q) - 1] if len(xs) > 1 else xs[0]
        return (f"| {label} | {len(self.wall)} | {p(self.server, 50):.1f} / **{p(self.server, 95):.1f} ms** | "
                f"{p(self.wall, 50):.1f} / {p(self.wall, 95):.1f} ms | {self.cpu:.1f} ms | {self.errors} |")


def cpu_ms(pid: int) -> float:
    """User + system CPU milliseconds the process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def with_cpu(t: Timings, pid: int, before: float) -> Timings:
    """``t`` with the server's CPU time per request since ``before``."""
    return replace(t, cpu=(cpu_ms(pid) - before) / max(1, len(t.wall)))


def _parts_option(parts: set[str]) -> str:
    """The ``--parts`` option as the command line gave it (nothing for all of them)."""
    every = ("search", "document", "concurrent")
    return "" if set(every) <= parts else " --parts " + ",".join(p for p in every if p in parts)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A ``docsearch serve`` process on ``folder`` and its address, once it answers."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "docsearch", "serve", "--index", str(folder),
                               "--host", "127.0.0.1", "--port", str(port)], stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            httpx.get(base + "/static/style.css", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    return server, base


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=30)


def first_view(base: str, path: str, pid: int) -> tuple[float, float, float, int]:
    """Server ms, wall ms and server CPU ms of ``path``'s first view on the
    server at ``base`` (process ``pid``), and its status code."""
    with httpx.Client(base_url=base, timeout=300) as client:
        before = cpu_ms(pid)
        started = time.perf_counter()
        r = client.get(path)
        wall = (time.perf_counter() - started) * 1000
    return _server_ms(r), wall, cpu_ms(pid) - before, r.status_code


def _server_ms(r: httpx.Response) -> float:
    m = _TIMING.search(r.headers.get("server-timing", ""))
    return float(m.group(1)) if m else float("nan")


def sequential(base: str, paths: Sequence[str], passes: int, pid: int) -> Timings:
    """Each path ``passes`` times, one request at a time, after a warm-up pass
    (not counted, nor is its CPU time)."""
    server: list[float] = []
    wall: list[float] = []
    errors = 0
    with httpx.Client(base_url=base, timeout=60) as client:
        for p in paths:  # warm-up pass
            client.get(p)
        before = cpu_ms(pid)
        for _ in range(passes):
            for p in paths:
                started = time.perf_counter()
                r = client.get(p)
                wall.append((time.perf_counter() - started) * 1000)
                server.append(_server_ms(r))
                errors += r.status_code != 200
    return with_cpu(Timings(server, wall, errors), pid, before)


async def _concurrent(base: str, paths: Sequence[str], clients: int, per_client: int,
                      seconds: float) -> tuple[Timings, float, int]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    server: list[float] = []
    wall: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        async def one(n: int) -> None:
            nonlocal errors
            for i in range(per_client):
                if time.perf_counter() > deadline:
                    return
                path = paths[(n * per_client + i) % len(paths)]
                started = time.perf_counter()
                try:
                    r = await client.get(path)
                except httpx.HTTPError:
                    errors += 1
                    continue
                wall.append((time.perf_counter() - started) * 1000)
                server.append(_server_ms(r))
                errors += r.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    return Timings(server, wall, errors), elapsed, len(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--per-client", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0, help="upper bound of the concurrent phase")
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "docsearch-web-bench")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--parts", default="search,document,concurrent",
                        help="comma-separated phases to run: search, document, concurrent (default: all)")
    parser.add_argument("--first-views", type=int, default=3,
                        help="first views of the document page, each in a server started for it (default 3)")
    args = parser.parse_args()
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    unknown = parts - {"search", "document", "concurrent"}
    if unknown or not parts:
        parser.error(f"--parts takes search, document, concurrent (got {args.parts})")

    folder = args.workdir / "index"
    store, built = build_store(folder, args.docs, args.seed)
    # The marker names the index layout too: an index written by an older
    # docsearch is rebuilt, as the server would refuse it.
    marker = folder / "fulltext-complete"
    key = f"{args.docs} {args.seed} layout {SCHEMA_VERSION}"
    if not marker.exists() or marker.read_text() != key:
        reindex(store)
        marker.write_text(key)
    # The store is written straight, not ingested: resolve its graph as an
    # ingest would have (nothing to do when that is done already).
    started = time.perf_counter()
    if settle(store) is not None:
        print(f"graph resolved in {time.perf_counter() - started:.0f} s", flush=True)
    store.close()
    if built is not None:
        print(f"store built in {built:.0f} s", flush=True)

    server, base = _serve(folder)
    try:
        load_before = os.getloadavg()[0]
        pid = server.pid
        rows: list[str] = []
        pages = [f"/search?{urlencode({'q': q})}" for q in QUERIES]
        api = [f"/api/search?{urlencode({'q': q})}" for q in QUERIES]
        if "search" in parts:
            page_t = sequential(base, pages, args.passes, pid)
            print(page_t.row("search page"), flush=True)
            api_t = sequential(base, api, args.passes, pid)
            print(api_t.row("API search"), flush=True)
            rows += [page_t.row("search page (`/search?q=`, 10 hits, snippets, facets)"),
                     api_t.row("API (`/api/search?q=`, 10 hits, snippets, facets)")]
        if "document" in parts:
            doc = "/documents/" + quote("57-NQ/TW", safe="/")
            # The first view is what a page costs with nothing kept: one in
            # this server, the others each in a server started for it (one
            # sample says little on a shared machine). CPU is the median.
            views = [first_view(base, doc, pid)]
            for _ in range(max(1, args.first_views) - 1):
                other, at = _serve(folder)
                try:
                    views.append(first_view(at, doc, other.pid))
                finally:
                    _stop(other)
            cold = Timings([v[0] for v in views], [v[1] for v in views], sum(v[3] != 200 for v in views),
                           statistics.median(v[2] for v in views))
            print(cold.row("document page 57-NQ/TW, first view"), flush=True)
            doc_t = sequential(base, [doc], 5, pid)
            print(doc_t.row("document page 57-NQ/TW, again"), flush=True)
            implementers = len(httpx.get(base + "/api/implements?doc=57-NQ/TW", timeout=120).json()["implementers"])
            rows += [cold.row(f"document page of 57-NQ/TW ({implementers:,} implementers), first view in a new "
                              "server"),
                     doc_t.row("the same page again (kept until the store changes)")]
        summary = ""
        if "concurrent" in parts:
            mixed = [p for pair in zip(pages, api, strict=True) for p in pair]
            before = cpu_ms(pid)
            conc, elapsed, done = asyncio.run(_concurrent(base, mixed, args.clients, args.per_client, args.seconds))
            conc = with_cpu(conc, pid, before)
            print(conc.row(f"{args.clients} concurrent clients"), f"{done / elapsed:.0f} requests/s", flush=True)
            rows.append(conc.row(f"{args.clients} concurrent clients, pages and API mixed"))
            summary = (f"Concurrent phase: {done:,} requests in {elapsed:.1f} s, **{done / elapsed:.0f} requests/s**, "
                       f"{conc.errors} errors (bounded: {args.per_client} requests per client or "
                       f"{args.seconds:.0f} s).")
        load_after = os.getloadavg()[0]
    finally:
        _stop(server)

    body = "\n".join([
        f"Machine: {machine()}; load average {load_before:.1f} at the start and {load_after:.1f} at the end "
        "(the machine is shared).",
        f"Command: `python bench/web_bench.py --docs {args.docs} --passes {args.passes} --clients {args.clients} "
        f"--per-client {args.per_client}{_parts_option(parts)}"
        f"{f' --first-views {args.first_views}' if 'document' in parts else ''}`. Index: {args.docs:,} synthetic "
        "documents from "
        "`bench/synthetic.py`; "
        "server: `docsearch serve` (uvicorn, one process) on 127.0.0.1, clients in another process (httpx).",
        "",
        f"Queries: the {len(QUERIES)} of the search benchmark (terms, phrases, filters, references), "
        f"{args.passes} passes after a warm-up. Server time is the application's `Server-Timing` "
        "(request in to answer out); wall time is what the client waited. p50 / p95. Server CPU is the "
        "server process's user + system time per request (all threads), which waiting for a core does not "
        "inflate.",
        "",
        "| what | requests | server | wall | server CPU | errors |",
        "|---|---|---|---|---|---|",
        *rows,
        *(["", summary] if summary else []),
    ])
    print(body)
    if not args.no_write and parts == {"search", "document", "concurrent"}:
        write_section("web", "Live application", body)


if __name__ == "__main__":
    main()
