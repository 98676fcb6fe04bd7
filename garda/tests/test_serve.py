"""`garda serve` starts the production server and serves pages and static files."""

import urllib.error
import urllib.request

import pytest

from garda.tests.server import scratch_env, serving

pytestmark = pytest.mark.server


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 (loopback only)
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_serve_runs_gunicorn_with_static_files(tmp_path):
    with serving(scratch_env(tmp_path)) as base:
        status, _, body = _get(f"{base}/healthz")
        assert status == 200 and b'"ok"' in body
        status, headers, _ = _get(f"{base}/")
        assert status == 200 and headers["Server"].startswith("gunicorn")
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        status, _, js = _get(f"{base}/static/garda/htmx.min.js")
        assert status == 200 and len(js) > 40_000
