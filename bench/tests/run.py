"""Run `python -m bench` in a child process, from the repository's root."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=timeout,
    )
