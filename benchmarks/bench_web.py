"""Load benchmark of the workspace dashboard on SQLite: 50 connections for 30 s, 127.0.0.1 only.

Also measures an import of many rows through the store (all-or-nothing, audited): seconds, rows per
second and peak memory.

Starts ``creativecity serve`` on a fresh SQLite database (bundled hanoi workspace, one viewer account),
signs in, then drives ``GET /w/hanoi`` with wrk (Debian package ``wrk``) when it is installed, else with
a bounded asyncio + httpx load generator. Prints request count, errors, p50/p95/p99 latency and
requests per second, and whether the target (no errors, p95 <= 100 ms) is met.

    .venv/bin/python benchmarks/bench_web.py [--connections 50] [--duration 30] [--workers 2]
                                             [--import-rows 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

P95_TARGET_MS = 100.0
PASSWORD = "benchmark-password"

LUA = r"""
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
               + summary.errors.timeout + summary.errors.status
  io.write(string.format(
    '{"count": %d, "errors": %d, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "duration_s": %.3f}\n',
    summary.requests, errors, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.duration / 1e6))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(home: Path) -> str:
    """A SQLite database with the bundled workspace and a viewer account; returns its URL."""
    from creativecity.store import SYSTEM, Store, accounts
    from creativecity.store.bootstrap import load_bundled
    from creativecity.store.workspaces import require_workspace

    url = f"sqlite:///{home / 'bench.sqlite'}"
    store = Store.open(url)
    load_bundled(store)
    with store.transaction(SYSTEM) as session:
        user = accounts.create_user(session, "viewer@example.org", PASSWORD)
        accounts.grant(session, user, require_workspace(session, "hanoi"), "viewer")
    store.dispose()
    return url


def start(url: str, home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CREATIVECITY_HOME=str(home), CREATIVECITY_SECRET_KEY="bench-key")
    cmd = [sys.executable, "-m", "creativecity.cli", "serve", "--port", str(port), "--database", url]
    cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def sign_in(base: str) -> str:
    """The session cookie of a signed-in viewer."""
    with httpx.Client(base_url=base, follow_redirects=True) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        response = client.post(
            "/login", data={"email": "viewer@example.org", "password": PASSWORD, "csrf_token": token.group(1)}
        )
        assert response.url.path == "/w/hanoi", response.url
        return client.cookies["cc_session"]


def run_wrk(url: str, cookie: str, connections: int, duration: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(LUA)
        script = fh.name
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", script]
    cmd += ["-H", f"Cookie: cc_session={cookie}", url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    os.unlink(script)
    stats = json.loads(out.strip().splitlines()[-1])
    stats["generator"] = "wrk"
    return stats


async def _httpx_load(url: str, cookie: str, connections: int, duration: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + duration
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(cookies={"cc_session": cookie}, limits=limits, timeout=5) as client:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                try:
                    response = await client.get(url)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t0)
                errors += not ok

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "count": len(latencies),
        "errors": errors,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "duration_s": elapsed,
        "generator": "httpx",
    }


def bench_import(rows: int) -> dict[str, float]:
    """Time an audited import of ``rows`` observations into a fresh SQLite database."""
    import resource

    from creativecity.store import Actor, Store
    from creativecity.store.bootstrap import load_bundled
    from creativecity.store.workspaces import import_observations, require_workspace

    with tempfile.TemporaryDirectory(prefix="cc-bench-import-") as tmp:
        store = Store.open(f"sqlite:///{tmp}/import.sqlite")
        load_bundled(store)
        records = [
            (
                i + 2,
                {
                    "indicator": "cinemas",
                    "scope": "Hanoi",
                    "unit": "count",
                    "value": i,
                    "reference_year": 2000 + i % 50,
                    "source": f"https://example.org/bench/{i}",
                },
            )
            for i in range(rows)
        ]
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        with store.transaction(Actor("bench@example.org")) as session:
            import_observations(session, require_workspace(session, "hanoi"), records, file="bench.csv")
        seconds = time.perf_counter() - t0
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        store.dispose()
    return {
        "rows": rows,
        "seconds": seconds,
        "peak_mb": rss_after / 1024,
        "growth_mb": (rss_after - rss_before) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--generator", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument("--import-rows", type=int, default=20_000, help="0 skips the import benchmark")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cc-bench-web-") as tmp:
        home = Path(tmp)
        url = prepare(home)
        port = free_port()
        proc = start(url, home, port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            cookie = sign_in(base)
            target = base + "/w/hanoi"
            httpx.get(target, cookies={"cc_session": cookie})  # warm the monitoring cache
            use_wrk = args.generator == "wrk" or (args.generator == "auto" and shutil.which("wrk"))
            if use_wrk:
                stats = run_wrk(target, cookie, args.connections, args.duration)
            else:
                stats = asyncio.run(_httpx_load(target, cookie, args.connections, args.duration))
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    rps = stats["count"] / stats["duration_s"]
    ok = stats["errors"] == 0 and stats["p95_ms"] <= P95_TARGET_MS
    print(
        f"dashboard GET /w/hanoi on SQLite, {args.connections} connections, {args.duration} s, "
        f"{args.workers} workers, generator {stats['generator']}"
    )
    print(f"requests  {stats['count']}")
    print(f"errors    {stats['errors']}")
    print(f"p50       {stats['p50_ms']:.1f} ms")
    print(f"p95       {stats['p95_ms']:.1f} ms  (target <= {P95_TARGET_MS:.0f} ms)")
    print(f"p99       {stats['p99_ms']:.1f} ms")
    print(f"req/s     {rps:.1f}")
    print("result    " + ("PASS" if ok else "FAIL"))
    if args.import_rows:
        imp = bench_import(args.import_rows)
        print(f"\nimport of {imp['rows']} observations on SQLite (validated, audited, one transaction)")
        print(f"seconds   {imp['seconds']:.2f}")
        print(f"rows/s    {imp['rows'] / imp['seconds']:.0f}")
        print(f"peak RSS  {imp['peak_mb']:.0f} MB (grew {imp['growth_mb']:.0f} MB during the import)")


if __name__ == "__main__":
    main()
