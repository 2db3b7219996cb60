"""Proxies really carry Scholar's requests, and their secrets never show: a tiny proxy on loopback."""

from __future__ import annotations

import base64
import http.server
import json
import threading

import pytest
from conftest import files_under
from scholar_pages import HINTON, fixture
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.models import Author, YearWindow
from authorstats.shell import fetch, store
from authorstats.sources import scholar, scholar_http
from authorstats.sources.masking import mask_url

runner = CliRunner()
SECRET = "s3cret-pw"


class LoopbackProxy(http.server.ThreadingHTTPServer):
    """An HTTP proxy on 127.0.0.1 that answers absolute-URI GETs with Scholar's profile page.

    It records every request line and Proxy-Authorization header; CONNECT (HTTPS tunnels) is refused
    with 403 since it cannot present Google's certificate.
    """

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.seen: list[tuple[str, str, str]] = []  # (method, target, Proxy-Authorization)

    @property
    def url(self) -> str:
        return f"http://alice:{SECRET}@127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    def _record(self) -> None:
        self.server.seen.append((self.command, self.path, self.headers.get("Proxy-Authorization", "")))

    def do_GET(self) -> None:
        self._record()
        body = fixture("profile.html").encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_CONNECT(self) -> None:
        self._record()
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.close_connection = True

    def log_message(self, format, *args) -> None:  # keep test output quiet
        pass


@pytest.fixture
def proxy():
    server = LoopbackProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch):
    monkeypatch.setattr(scholar, "polite_sleep", lambda seconds: None)


def test_the_proxy_receives_the_requests_and_its_password_stays_secret(proxy, workspace):
    conn = scholar_http.connection(proxy=proxy.url)
    # Plain http so the proxy sees the request itself (for https it only sees a CONNECT tunnel).
    src = scholar.ScholarSource(scholar_http.make_client(conn), base_url="http://scholar.google.com", conn=conn)
    lines: list[str] = []
    hinton = Author(key="hinton", name="Geoffrey Hinton", scholar_id=HINTON)

    report = fetch.run(store.Workspace(workspace), [hinton], YearWindow(2021, 2022), source=src, echo=lines.append)
    src.close()

    assert report.done == 1
    assert len(proxy.seen) == 1
    method, target, authorization = proxy.seen[0]
    assert method == "GET"
    assert target.startswith(f"http://scholar.google.com/citations?hl=en&user={HINTON}&view_op=list_works")
    assert authorization == "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()
    ws = store.Workspace(workspace)
    assert len(list(store.read_jsonl(ws.raw_file("scholar", "hinton")))) == 3
    manifest = json.loads(ws.manifest_file("scholar").read_text())
    assert manifest["authors"]["hinton"]["via"] == f"proxy http://***@127.0.0.1:{proxy.server_address[1]}"
    written = b"".join(files_under(workspace).values()).decode("utf-8")
    assert SECRET not in written and SECRET not in "\n".join(lines)


def test_fetch_with_proxy_sends_https_through_the_proxy(proxy, workspace):
    result = runner.invoke(
        app, ["fetch", "--workspace", str(workspace), "--source", "scholar", "--author", "hinton", "--proxy", proxy.url]
    )

    assert [(m, t) for m, t, _ in proxy.seen] == [("CONNECT", "scholar.google.com:443")]
    assert result.exit_code == 3
    assert f"the proxy http://***@127.0.0.1:{proxy.server_address[1]} failed" in result.output
    assert "another proxy" in result.output
    assert SECRET not in result.output and "Traceback" not in result.output
    assert not store.Workspace(workspace).raw.exists()


def test_scraperapi_key_from_the_environment_is_used_and_masked(workspace):
    key = "0123456789abcdef0123456789abcdef"

    result = runner.invoke(
        app,
        ["fetch", "--workspace", str(workspace), "--source", "scholar", "--author", "hinton"],
        env={"SCRAPERAPI_KEY": key},
    )

    assert result.exit_code == 3
    assert "could not connect to the ScraperAPI" in result.output  # its proxy host, not Scholar's
    assert key not in result.output


def test_scraperapi_connection_matches_scholarlys_setup():
    conn = scholar_http.connection(scraperapi_key="KEY123")

    assert conn.proxy == "http://scraperapi.retry_404=true:KEY123@proxy-server.scraperapi.com:8001"
    assert conn.verify is False and conn.via == "ScraperAPI" and "KEY123" in conn.secrets
    assert (
        scholar_http.connection(proxy="http://127.0.0.1:3128", scraperapi_key="KEY123").via
        == "proxy http://127.0.0.1:3128"
    )


@pytest.mark.parametrize("bad", ["not a proxy", "ftp://127.0.0.1:21", "http://"])
def test_a_bad_proxy_url_is_bad_input(bad):
    with pytest.raises(Exception) as info:
        scholar_http.connection(proxy=bad)

    assert info.value.exit_code == 2 and "is not a proxy URL" in str(info.value)


def test_mask_url_hides_credentials():
    assert mask_url(f"http://alice:{SECRET}@proxy:8080") == "http://***@proxy:8080"
    assert mask_url("http://proxy:8080") == "http://proxy:8080"
