"""`garda serve` starts the production server and serves pages and static files."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 (loopback only)
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_serve_runs_gunicorn_with_static_files(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GARDA_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env["GARDA_VAR_DIR"] = str(tmp_path)
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "garda", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, body = _get(f"{base}/healthz")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert status == 200 and b'"ok"' in body
        status, headers, _ = _get(f"{base}/")
        assert status == 200 and headers["Server"].startswith("gunicorn")
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        status, _, js = _get(f"{base}/static/garda/htmx.min.js")
        assert status == 200 and len(js) > 40_000
    finally:
        proc.terminate()
        proc.wait(timeout=20)
