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
import csv
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


def _stats(prefix: str) -> list[dict]:
    with open(f"{prefix}_stats.csv") as f:
        return list(csv.DictReader(f))


def _wrk(base: str, path: str, seconds: int, connections: int) -> float | None:
    if not shutil.which("wrk"):
        return None
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", base + path],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"  wrk {path}: {non2xx.group(1)} answers were not 2xx")
    return float(found.group(1)) if found else None


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
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
    parser.add_argument("--spawn-rate", type=float, default=5, help="persons started per second")
    parser.add_argument("--wait-min", type=float, default=5, help="seconds reading a page, least")
    parser.add_argument("--wait-max", type=float, default=15, help="seconds reading a page, most")
    parser.add_argument("--cache-seconds", type=int, default=10, help="wrk time per cached page")
    parser.add_argument("--skip-setup", action="store_true", help="reuse the prepared population")
    args = parser.parse_args(argv)

    var = Path(args.var_dir or tempfile.mkdtemp(prefix="garda-load-")).resolve()
    var.mkdir(parents=True, exist_ok=True)
    tag = f"load-{args.users}u"
    spec, ledger, prefix = var / f"{tag}-spec.json", var / f"{tag}-ledger.jsonl", var / tag
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
    if not args.skip_setup:
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
        ramp = math.ceil(args.users / args.spawn_rate) + 5
        run_time = ramp + int(args.minutes * 60)
        summary["load_before"] = _load()
        since = datetime.now(UTC).isoformat()
        print(f"  {summary['load_before']}; ramp-up {ramp} s (log-ins), then {args.minutes} min")
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
                "--reset-stats",
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
            },
            cwd=ROOT,
            check=False,
        )
        summary["load_after"] = _load()
        rps = {}
        for path in CACHED_PAGES:
            rps[path] = _wrk(base, path, args.cache_seconds, 32)
        summary["cached_rps"] = rps
        summary["load_after_cache"] = _load()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
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
    logins_failed = sum(1 for line in open(ledger) if '"login-failed"' in line) if ledger.exists() else 0  # noqa: SIM115

    rows = _stats(str(prefix))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    p95 = float(total["95%"])
    error_rate = failures / requests if requests else 1.0
    summary.update(
        requests=requests,
        failures=failures,
        error_rate=error_rate,
        p50_ms=float(total["50%"]),
        p95_ms=p95,
        p99_ms=float(total["99%"]),
        rps=float(total["Requests/s"]),
        logins_failed=logins_failed,
        by_page={
            r["Name"]: {
                "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "p50_ms": float(r["50%"]),
                "p95_ms": float(r["95%"]),
            }
            for r in rows
            if r["Name"] != "Aggregated"
        },
    )
    print(f"\n{'page':44} {'requests':>8} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7}")
    for name, row in sorted(summary["by_page"].items()):
        print(f"{name:44} {row['requests']:8} {row['failures']:5} {row['p50_ms']:7.0f} {row['p95_ms']:7.0f}")
    print(
        f"{'all':44} {requests:8} {failures:5} {summary['p50_ms']:7.0f} {p95:7.0f}"
        f"   ({summary['rps']:.1f} requests/s)"
    )
    print(f"load before: {summary['load_before']}; after: {summary['load_after']}")
    lost = len(writes.get("lost", [])) if writes else None
    verdicts = [
        ("p95 under 800 ms", p95 < P95_MS, f"{p95:.0f} ms"),
        ("errors under 0.5%", error_rate < ERROR_RATE and not logins_failed,
         f"{failures} of {requests} ({error_rate:.2%}); log-ins failed: {logins_failed}"),
        (
            "no lost writes",
            lost == 0,
            f"{writes.get('uploads_in_database')}/{writes.get('uploads_acknowledged')} uploads, "
            f"{writes.get('verifications_in_database')}/{writes.get('verifications_acknowledged')} "
            f"verifications in the database" if writes else f"check failed: {check.stderr[-500:]}",
        ),
    ]
    for path, value in summary["cached_rps"].items():
        verdicts.append(
            (
                f"cached {path} at least {CACHE_RPS} requests/s",
                value is not None and value >= CACHE_RPS,
                "wrk not installed" if value is None else f"{value:.0f} requests/s (32 connections)",
            )
        )
    summary["verdicts"] = {name: ok for name, ok, _ in verdicts}
    for name, ok, detail in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    (var / f"{tag}-summary.json").write_text(json.dumps(summary, indent=2))
    print(f"summary: {var / f'{tag}-summary.json'}")


if __name__ == "__main__":
    main()
