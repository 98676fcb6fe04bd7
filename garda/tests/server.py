"""Run `garda serve` in a child process for tests that need a real server."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def scratch_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh install: no Garda/Django settings inherited, SQLite
    in `var_dir` (never the test run's PostgreSQL database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GARDA_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    return {**env, "GARDA_VAR_DIR": str(var_dir), **extra}


def garda(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "garda", *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=timeout,
    )


@contextlib.contextmanager
def serving(env: dict[str, str], *args: str, cwd: Path | None = None) -> Iterator[str]:
    """Start `garda serve` on a free port; yield its base URL once /healthz answers.
    With `cwd`, started from that folder as the `garda` command would be (-P: the
    folder is not put on sys.path)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    python = [sys.executable, "-P"] if cwd is not None else [sys.executable]
    proc = subprocess.Popen(  # noqa: S603
        [*python, "-m", "garda", "serve", "--port", str(port), "--workers", "1", *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 (loopback)
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stdout.read().decode()) from None
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
