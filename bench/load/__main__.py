"""`python -m bench.load`: the load test of issue 19, one command, on loopback.

    python -m bench.load --users 200 --minutes 5 --database-url postgres://postgres@127.0.0.1:5432/garda_load
    python -m bench.load --users 30 --minutes 5            # SQLite under --var-dir

It prepares the population in the given DISPOSABLE database (bench/load/setup.py:
the demo, N worker accounts, officers with their caseloads), starts `garda serve`
(gunicorn, 2 workers, as shipped) on 127.0.0.1, runs Locust headless
(bench/load/locustfile.py) with every simulated person signed in during the ramp-up
and the statistics reset once all are running, then stops the server, checks that
every write the clients got a success for is in the database, measures the cached
public pages with wrk when it is installed, and prints PASS or FAIL per target:
p95 under 800 ms, errors under 0.5%, no lost writes, cached pages at least 1,000
requests/s. The load average (`uptime`) before and after is printed beside the
figures: on a busy machine, read them as upper bounds. It exits 0 either way (the
verdict is in the output and in <var-dir>/load-<users>u-summary.json).
"""

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
P95_MS = 800
ERROR_RATE = 0.005
CACHE_RPS = 1000
CACHED_PAGES = ["/destinations/", "/training/", "/jobs/"]


def _load() -> str:
    a, b, c = Path("/proc/loadavg").read_text().split()[:3]
    return f"load average {a}, {b}, {c}"


def _wait_up(url: str, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 (loopback)
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url} within {seconds} s")


def _pct(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def _server_cpu(pid: int) -> float:
    """CPU seconds used so far by the server and its workers."""
    import psutil  # comes with Locust

    parent = psutil.Process(pid)
    total = 0.0
    for proc in [parent, *parent.children(recursive=True)]:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def _wrk(base: str, path: str, seconds: int, connections: int, pid: int) -> dict | None:
    """Requests/s with wrk, and the server's CPU per request over the same run (what
    the rate would be with the two cores to the server alone: 2000 / ms)."""
    if not shutil.which("wrk"):
        return None
    cpu = _server_cpu(pid)
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", base + path],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    cpu = _server_cpu(pid) - cpu
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    count = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"  wrk {path}: {non2xx.group(1)} answers were not 2xx")
    if not found or not count:
        return None
    return {
        "rps": float(found.group(1)),
        "server_cpu_ms": round(cpu * 1000 / int(count.group(1)), 2),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument(
        "--minutes",
        type=float,
        default=5,
        help="the measured window; 0: only the cached pages (wrk)",
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="A DISPOSABLE PostgreSQL database (filled with the demo and load accounts). "
        "Default: SQLite in --var-dir.",
    )
    parser.add_argument(
        "--var-dir",
        default="",
        help="GARDA_VAR_DIR for the server (SQLite file, files, page cache). "
        "Default: a new temporary folder.",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument("--spawn-rate", type=float, default=2, help="persons started per second")
    parser.add_argument("--wait-min", type=float, default=5, help="seconds reading a page, least")
    parser.add_argument("--wait-max", type=float, default=15, help="seconds reading a page, most")
    parser.add_argument("--cache-seconds", type=int, default=10, help="wrk time per cached page")
    args = parser.parse_args(argv)

    var = Path(args.var_dir or tempfile.mkdtemp(prefix="garda-load-")).resolve()
    var.mkdir(parents=True, exist_ok=True)
    tag = f"load-{args.users}u"
    spec, ledger, prefix = var / f"{tag}-spec.json", var / f"{tag}-ledger.jsonl", var / tag
    times = var / f"{tag}-times.jsonl"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "garda.settings",
        "GARDA_VAR_DIR": str(var),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    for name in ("GARDA_DEMO", "GARDA_ENV", "GARDA_REQUIRE_2FA"):
        env.pop(name, None)
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    database = "PostgreSQL" if args.database_url else "SQLite"
    officers = max(2, math.ceil(args.users / 6) + 2)
    print(f"Load test: {args.users} users, {args.minutes} min, {database}, var {var}")
    # A second run reuses the population; the officers get fresh one-use codes.
    if spec:
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "bench.load.setup",
                "prepare",
                "--workers",
                str(args.users),
                "--officers",
                str(officers),
                "--out",
                str(spec),
            ],
            env=env,
            cwd=ROOT,
            check=True,
        )
    ledger.unlink(missing_ok=True)
    times.unlink(missing_ok=True)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "garda",
            "serve",
            "--port",
            str(args.port),
            "--workers",
            str(args.server_workers),
        ],
        env=env,
        cwd=ROOT,
        stdout=open(var / f"{tag}-server.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    summary: dict = {"users": args.users, "minutes": args.minutes, "database": database}
    try:
        _wait_up(base + "/healthz")
        ramp = math.ceil(args.users / args.spawn_rate)
        # The clients stop themselves once the window after the last sign-in is over;
        # this is only the cap if sign-ins never finish.
        run_time = ramp + int(args.minutes * 60) + 600
        summary["load_before"] = _load()
        since = datetime.now(UTC).isoformat()
        print(f"  {summary['load_before']}; ramp-up {ramp} s (log-ins), then {args.minutes} min")
        if args.minutes > 0:
            subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(HERE / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{run_time}s",
                    "--host",
                    base,
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--stop-timeout",
                    "30",
                    "--loglevel",
                    "WARNING",
                ],
                env={
                    **env,
                    "BENCH_LOAD_SPEC": str(spec),
                    "BENCH_LOAD_LEDGER": str(ledger),
                    "BENCH_LOAD_WAIT_MIN": str(args.wait_min),
                    "BENCH_LOAD_WAIT_MAX": str(args.wait_max),
                    "BENCH_LOAD_USERS": str(args.users),
                    "BENCH_LOAD_SECONDS": str(int(args.minutes * 60)),
                    "BENCH_LOAD_TIMES": str(times),
                },
                cwd=ROOT,
                check=False,
            )
        summary["load_after"] = _load()
        rps = {}
        for path in CACHED_PAGES:
            rps[path] = _wrk(base, path, args.cache_seconds, 32, server.pid)
        summary["cached_rps"] = rps
        summary["load_after_cache"] = _load()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    verdicts = []
    if args.minutes > 0:
        check = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "bench.load.setup",
                "check",
                "--ledger",
                str(ledger),
                "--since",
                since,
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        writes = json.loads(check.stdout.strip().splitlines()[-1]) if check.stdout.strip() else {}
        summary["writes"] = writes
        marks = {}
        logins_failed = 0
        if ledger.exists():
            for line in open(ledger):  # noqa: SIM115
                row = json.loads(line)
                if row["kind"] in ("all-signed-in", "window-closed"):
                    marks[row["kind"]] = row["at"]
                logins_failed += row["kind"] == "login-failed"
        rows = [json.loads(line) for line in open(times)] if times.exists() else []  # noqa: SIM115
        opened = marks.get("all-signed-in", float("inf"))
        closed = marks.get("window-closed", float("inf"))
        signing = ("log in", "second factor")
        window = [r for r in rows if opened <= r[0] <= closed and not r[1].startswith(signing)]
        sign_in = [r for r in rows if r[1].startswith(signing)]
        requests = len(window)
        failures = sum(1 for r in window if r[3])
        error_rate = failures / requests if requests else 1.0
        p95 = _pct([r[2] for r in window], 95)
        seconds = (closed - opened) if closed != float("inf") and opened != float("inf") else 0
        by_page = {}
        for name in sorted({r[1] for r in rows}):
            mine = [r for r in (sign_in if name.startswith(signing) else window) if r[1] == name]
            by_page[name] = {
                "requests": len(mine),
                "failures": sum(1 for r in mine if r[3]),
                "p50_ms": _pct([r[2] for r in mine], 50),
                "p95_ms": _pct([r[2] for r in mine], 95),
            }
        summary.update(
            window_seconds=round(seconds),
            signed_in=opened != float("inf"),
            requests=requests,
            failures=failures,
            error_rate=error_rate,
            p50_ms=_pct([r[2] for r in window], 50),
            p95_ms=p95,
            p99_ms=_pct([r[2] for r in window], 99),
            rps=requests / seconds if seconds else 0.0,
            logins_failed=logins_failed,
            by_page=by_page,
        )
        print(f"\n{'page':44} {'requests':>8} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7}")
        for name, row in sorted(summary["by_page"].items()):
            cells = (
                f"{row['requests']:8} {row['failures']:5} {row['p50_ms']:7.0f} {row['p95_ms']:7.0f}"
            )
            print(f"{name:44} {cells}")
        print(
            f"{'all after the last sign-in (the verdict)':44} {requests:8} {failures:5} "
            f"{summary['p50_ms']:7.0f} {p95:7.0f}   ({summary['rps']:.1f} requests/s over "
            f"{summary['window_seconds']} s; sign-in rows: the ramp-up)"
        )
        print(f"load before: {summary['load_before']}; after: {summary['load_after']}")
        lost = len(writes.get("lost", [])) if writes else None
        verdicts += [
            (
                "p95 under 800 ms",
                p95 < P95_MS and summary["signed_in"],
                f"{p95:.0f} ms" if summary["signed_in"] else "not every person could sign in",
            ),
            (
                "errors under 0.5%",
                error_rate < ERROR_RATE and not logins_failed,
                f"{failures} of {requests} ({error_rate:.2%}); log-ins failed: {logins_failed}",
            ),
            (
                "no lost writes",
                lost == 0,
                "{}/{} uploads, {}/{} verifications in the database".format(
                    writes.get("uploads_in_database"),
                    writes.get("uploads_acknowledged"),
                    writes.get("verifications_in_database"),
                    writes.get("verifications_acknowledged"),
                )
                if writes
                else f"check failed: {check.stderr[-500:]}",
            ),
        ]
    for path, value in summary["cached_rps"].items():
        verdicts.append(
            (
                f"cached {path} at least {CACHE_RPS} requests/s",
                value is not None and value["rps"] >= CACHE_RPS,
                "wrk not installed"
                if value is None
                else f"{value['rps']:.0f} requests/s (wrk, 32 connections); the server spent "
                f"{value['server_cpu_ms']} ms CPU a request, i.e. "
                f"{2000 / max(value['server_cpu_ms'], 0.01):.0f} requests/s on two free cores",
            )
        )
    summary["verdicts"] = {name: ok for name, ok, _ in verdicts}
    for name, ok, detail in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    kind = "load" if args.minutes > 0 else "cache"
    (var / f"{tag}-{kind}-{stamp}-summary.json").write_text(json.dumps(summary, indent=2))
    (var / f"{tag}-summary.json").write_text(json.dumps(summary, indent=2))  # the latest
    print(f"summary: {var / f'{tag}-{kind}-{stamp}-summary.json'}")


if __name__ == "__main__":
    main()
