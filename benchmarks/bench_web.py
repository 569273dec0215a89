"""Load benchmark of every page and API list at 20,000 figures, beside ``/healthz`` on the same server.

Starts ``creativecity serve`` (one worker by default) on a fresh SQLite database holding the bundled
hanoi workspace plus 20,000 imported figures, signs in as an editor, then drives each page and API
list with wrk (Debian package ``wrk``; a bounded asyncio + httpx generator when wrk is absent) at 50
connections for a few seconds each. Prints p50/p95 per URL and the ratio of its p95 to that of
``/healthz`` (target: at most 3x). Then times, one request at a time, a create (POST) and an edit
(PATCH) of a figure through the JSON API (target: p95 at most 50 ms at 20,000 rows).

    .venv/bin/python benchmarks/bench_web.py [--rows 20000] [--connections 50] [--duration 5]
                                             [--workers 1] [--writes 100] [--import-rows 0]
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


def _records(rows: int) -> list[tuple[int, dict[str, object]]]:
    return [
        (
            i + 2,
            {
                "indicator": "cinemas",
                "scope": f"District {i % 30}",
                "unit": "count",
                "value": i,
                "reference_year": 1950 + i % 70,
                "source": f"https://example.org/bench/{i}",
            },
        )
        for i in range(rows)
    ]


def prepare(home: Path, rows: int) -> str:
    """A SQLite database with the bundled workspace, ``rows`` more figures and an editor; its URL."""
    from creativecity.store import SYSTEM, Actor, Store, accounts
    from creativecity.store.bootstrap import load_bundled
    from creativecity.store.workspaces import import_observations, require_workspace

    url = f"sqlite:///{home / 'bench.sqlite'}"
    store = Store.open(url)
    load_bundled(store)
    with store.transaction(SYSTEM) as session:
        user = accounts.create_user(session, "editor@example.org", PASSWORD)
        accounts.grant(session, user, require_workspace(session, "hanoi"), "editor")
    if rows:
        with store.transaction(Actor("bench@example.org")) as session:
            import_observations(
                session, require_workspace(session, "hanoi"), _records(rows), file="bench.csv"
            )
    store.dispose()
    return url


def start(url: str, home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CREATIVECITY_HOME=str(home), CREATIVECITY_SECRET_KEY="bench-key")
    cmd = [sys.executable, "-c", "from creativecity.cli import app; app()"]
    cmd += ["serve", "--port", str(port), "--database", url]
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


def sign_in(base: str) -> tuple[str, str]:
    """The session cookie of a signed-in editor and the session's CSRF token."""
    with httpx.Client(base_url=base, follow_redirects=True, timeout=120) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        response = client.post(
            "/login", data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token.group(1)}
        )
        assert response.url.path == "/w/hanoi", response.url
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/w/hanoi/audit").text)
        assert csrf
        return client.cookies["cc_session"], csrf.group(1)


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
        records = _records(rows)
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


URLS = (
    "/healthz",
    "/w/hanoi",
    "/w/hanoi/data",
    "/w/hanoi/data?page=150",
    "/w/hanoi/audit",
    "/w/hanoi/targets",
    "/w/hanoi/plan",
    "/w/hanoi/texts",
    "/w/hanoi/dossier",
    "/network",
    "/api/workspaces",
    "/api/workspaces/hanoi/observations?limit=100",
    "/api/workspaces/hanoi/observations?limit=100&cursor=15000",
    "/api/workspaces/hanoi/audit?limit=100",
)
"""Every page and API list a member opens; ``/healthz`` first, the baseline of the ratios."""


def load(url: str, cookie: str, connections: int, duration: int, generator: str) -> dict[str, float]:
    """p50/p95 of ``url`` under ``connections`` concurrent clients for ``duration`` seconds."""
    use_wrk = generator == "wrk" or (generator == "auto" and shutil.which("wrk"))
    if use_wrk:
        return run_wrk(url, cookie, connections, duration)
    return asyncio.run(_httpx_load(url, cookie, connections, duration))


def writes(base: str, cookie: str, csrf: str, n: int) -> dict[str, list[float]]:
    """Latencies (ms) of ``n`` creates and ``n`` edits of a figure, one request at a time."""
    out: dict[str, list[float]] = {"POST create": [], "PATCH edit": []}
    headers = {"X-CSRF-Token": csrf}
    with httpx.Client(base_url=base, cookies={"cc_session": cookie}, headers=headers, timeout=30) as client:
        for i in range(n):
            body = {
                "indicator": "cinemas",
                "scope": "Bench",
                "value": i,
                "unit": "count",
                "reference_year": 2000 + i % 20,
                "source": f"https://example.org/write/{i}",
            }
            t0 = time.perf_counter()
            created = client.post("/api/workspaces/hanoi/observations", json=body)
            out["POST create"].append((time.perf_counter() - t0) * 1000)
            assert created.status_code == 201, created.text
            key, tag = created.json()["id"], created.headers["etag"]
            t0 = time.perf_counter()
            edited = client.patch(
                f"/api/workspaces/hanoi/observations/{key}",
                json={"note": f"edit {i}"},
                headers={"If-Match": tag},
            )
            out["PATCH edit"].append((time.perf_counter() - t0) * 1000)
            assert edited.status_code == 200, edited.text
    return out


def login_flood(base: str, cookie: str, csrf: str, n: int, threads: int = 16) -> dict[str, object]:
    """Editors' saves while ``threads`` anonymous clients post wrong passwords (issue 13, finding 3).

    Each flooding client fetches the login form once and then posts wrong logins for made-up accounts
    as fast as the server answers; meanwhile ``n`` edits are timed one at a time. A save that fails
    ("database is locked") is what the finding was about, so the count of failed saves is the result.
    """
    import threading

    stop = threading.Event()
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def flood(k: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
            assert token
            i = 0
            while not stop.is_set():
                i += 1
                form = {
                    "email": f"nobody{k}-{i}@example.org",
                    "password": "wrong",
                    "csrf_token": token.group(1),
                }
                try:
                    code = client.post("/login", data=form).status_code
                except httpx.HTTPError:
                    code = 0
                with lock:
                    statuses[code] = statuses.get(code, 0) + 1

    workers = [threading.Thread(target=flood, args=(k,), daemon=True) for k in range(threads)]
    for w in workers:
        w.start()
    latencies: list[float] = []
    failed = 0
    headers = {"X-CSRF-Token": csrf}
    try:
        with httpx.Client(
            base_url=base, cookies={"cc_session": cookie}, headers=headers, timeout=60
        ) as client:
            created = client.post(
                "/api/workspaces/hanoi/observations",
                json={"indicator": "cinemas", "scope": "Flood", "value": 1, "unit": "count", "source": "x"},
            )
            assert created.status_code == 201, created.text
            key = created.json()["id"]
            for i in range(n):
                t0 = time.perf_counter()
                edited = client.patch(
                    f"/api/workspaces/hanoi/observations/{key}", json={"note": f"flood {i}"}
                )
                latencies.append((time.perf_counter() - t0) * 1000)
                failed += edited.status_code != 200
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=35)
    return {"saves": n, "failed": failed, "latencies": latencies, "logins": dict(sorted(statuses.items()))}


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="figures added to hanoi before the run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per URL")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--writes", type=int, default=100, help="creates and edits timed one at a time")
    parser.add_argument("--generator", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument("--import-rows", type=int, default=0, help="also time an import of this many rows")
    parser.add_argument(
        "--flood-saves", type=int, default=30, help="edits timed during a flood of wrong logins (0 = skip)"
    )
    args = parser.parse_args()

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="cc-bench-web-") as tmp:
        home = Path(tmp)
        t0 = time.perf_counter()
        url = prepare(home, args.rows)
        print(f"prepared hanoi with {args.rows} more figures in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        proc = start(url, home, port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            cookie, csrf = sign_in(base)
            for path in URLS:
                httpx.get(base + path, cookies={"cc_session": cookie}, timeout=60)  # warm caches
                results[path] = load(base + path, cookie, args.connections, args.duration, args.generator)
                time.sleep(2)  # requests still queued when the load stops must not slow the next URL
            timed = writes(base, cookie, csrf, args.writes)
            flood = login_flood(base, cookie, csrf, args.flood_saves) if args.flood_saves else None
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    baseline = results["/healthz"]["p95_ms"]
    generator = results["/healthz"]["generator"]
    print(
        f"\nSQLite, {args.rows} extra figures, {args.connections} connections, {args.duration} s per URL, "
        f"{args.workers} worker(s), generator {generator}"
    )
    print(f"{'URL':<58} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'x healthz':>9}")
    failed = []
    for path, st in results.items():
        ratio = st["p95_ms"] / baseline if baseline else float("inf")
        ok = st["errors"] == 0 and ratio <= 3.0
        failed += [] if ok else [path]
        print(
            f"{path:<58} {st['count']:>8.0f} {st['errors']:>6.0f} {st['p50_ms']:>8.1f} {st['p95_ms']:>8.1f} "
            f"{ratio:>8.1f}x{'' if ok else ' FAIL'}"
        )
    print(f"\nwrites through the JSON API at {args.rows}+ figures, one at a time ({args.writes} each)")
    for name, values in timed.items():
        p95 = _pct(values, 95)
        failed += [] if p95 <= 50 else [name]
        print(f"{name:<14} p50 {_pct(values, 50):6.1f} ms  p95 {p95:6.1f} ms  (target <= 50 ms)")
    if flood is not None:
        lat = flood["latencies"]
        assert isinstance(lat, list)
        print(f"\nlogin flood: 16 clients posting wrong logins while an editor saves {flood['saves']} edits")
        print(
            f"saves failed {flood['failed']}  p50 {_pct(lat, 50):6.1f} ms  p95 {_pct(lat, 95):6.1f} ms  "
            f"max {max(lat):6.1f} ms  login answers by status {flood['logins']}"
        )
        failed += [] if flood["failed"] == 0 else ["login flood"]
    print("result    " + ("PASS" if not failed else f"FAIL: {', '.join(failed)}"))
    if args.import_rows:
        imp = bench_import(args.import_rows)
        print(f"\nimport of {imp['rows']} observations on SQLite (validated, audited, one transaction)")
        print(f"seconds   {imp['seconds']:.2f}")
        print(f"rows/s    {imp['rows'] / imp['seconds']:.0f}")
        print(f"peak RSS  {imp['peak_mb']:.0f} MB (grew {imp['growth_mb']:.0f} MB during the import)")


if __name__ == "__main__":
    main()
