"""Secrets (ScraperAPI key, OpenAlex key, proxy credentials) never reach output, logs, manifests or reports.

One end-to-end run sets all of them (environment and --proxy), fetches through `--source auto` (Scholar
refuses, OpenAlex serves), then reports; every printed line and every file of the workspace is searched.
Further tests push a secret into the generic error paths: a warning, an internal error and --debug.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from authorstats.shell import fetch
from authorstats.cli import app
from authorstats.sources.masking import known_secrets, mask
from authorstats.sources import scholar
from conftest import files_under

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "openalex"
SCRAPER_KEY = "scraperapi-key-5f1e2d3c4b5a6978"
OPENALEX_KEY = "openalex-key-0a9b8c7d6e5f"
PROXY_PASSWORD = "proxy-pass-S3cr3t"
ENV_PROXY_PASSWORD = "env-proxy-pass-Hush"
SECRETS = (SCRAPER_KEY, OPENALEX_KEY, PROXY_PASSWORD, ENV_PROXY_PASSWORD)
ROSTER = '[[author]]\nkey = "lecun"\nname = "Yann LeCun"\nscholar = "WLN3QrAAAAAJ"\nopenalex = "A5000000001"\n'


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch):
    monkeypatch.setattr(scholar, "polite_sleep", lambda seconds: None)


@pytest.fixture
def secret_env(monkeypatch):
    monkeypatch.setenv("SCRAPERAPI_KEY", SCRAPER_KEY)
    monkeypatch.setenv("OPENALEX_API_KEY", OPENALEX_KEY)
    monkeypatch.setenv("HTTPS_PROXY", f"http://envuser:{ENV_PROXY_PASSWORD}@127.0.0.1:9")


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_fetch_and_report_with_every_secret_set_print_and_write_none(secret_env, workspace, tmp_path, caplog):
    roster = tmp_path / "roster.toml"
    roster.write_text(ROSTER, encoding="utf-8")
    pages = [json.loads((FIXTURES / name).read_text(encoding="utf-8")) for name in ("works_page1.json", "works_page2.json")]
    proxy = f"http://alice:{PROXY_PASSWORD}@127.0.0.1:3128"
    caplog.set_level(logging.DEBUG)

    with respx.mock(assert_all_called=False) as mock:
        mock.get(url__startswith="https://scholar.google.com/").return_value = httpx.Response(429)
        works = mock.get("https://api.openalex.org/works")
        works.side_effect = [httpx.Response(200, json=page) for page in pages]
        fetched = runner.invoke(app, ["fetch", "-w", str(workspace), "--roster", str(roster), "--proxy", proxy])
    reported = runner.invoke(app, ["report", "-w", str(workspace), "--roster", str(roster), "--dpi", "50",
                                   "--cloud-size", "300x150"])

    assert fetched.exit_code == 0, fetched.output
    assert "trying OpenAlex" in fetched.stderr and "lecun: data from OpenAlex" in fetched.stderr
    assert works.calls and all(call.request.url.params["api_key"] == OPENALEX_KEY for call in works.calls)
    assert reported.exit_code == 0, reported.output
    files = files_under(workspace)
    assert "data/raw/openalex/manifest.json" in files and "reports/index.html" in files
    everything = "\n".join([fetched.output, reported.output, caplog.text,
                            *(data.decode("utf-8", "replace") for data in files.values())])
    assert_no_secret(everything)


def test_a_scholar_failure_through_the_scraperapi_proxy_does_not_show_the_key(secret_env, workspace, monkeypatch):
    monkeypatch.delenv("HTTPS_PROXY")

    result = runner.invoke(app, ["fetch", "-w", str(workspace), "--source", "scholar", "--author", "hinton"])

    assert result.exit_code == 3 and "ScraperAPI" in result.output
    assert_no_secret(result.output)


def leaking_run(monkeypatch, exc: BaseException | None = None, warning: str | None = None):
    """Make fetch fail (or warn) with a message that carries every secret, as a careless library might."""
    def run(*args, **kwargs):
        if warning:
            logging.getLogger("authorstats.shell.fetch").warning(warning)
        if exc is not None:
            raise exc
        return fetch.RunReport(source="scholar", window=args[2])

    monkeypatch.setattr(fetch, "run", run)


LEAK = (f"GET https://api.openalex.org/works?api_key={OPENALEX_KEY} via "
        f"http://alice:{PROXY_PASSWORD}@127.0.0.1:3128 and http://scraperapi:{SCRAPER_KEY}@proxy-server.scraperapi.com:8001 "
        f"(env proxy {ENV_PROXY_PASSWORD})")


def fetch_with_proxy(*extra: str):
    return runner.invoke(app, [*extra, "fetch", "-w", ".", "--source", "scholar", "--author", "lecun",
                               "--proxy", f"http://alice:{PROXY_PASSWORD}@127.0.0.1:3128"])


def test_an_internal_error_line_masks_secrets(secret_env, monkeypatch):
    leaking_run(monkeypatch, RuntimeError(LEAK))

    result = fetch_with_proxy()

    assert result.exit_code == 1 and result.stderr.startswith("Internal error: RuntimeError: GET https://api.openalex.org")
    assert "api_key=***" in result.stderr and "http://***@127.0.0.1:3128" in result.stderr
    assert_no_secret(result.output)


def test_a_warning_masks_secrets(secret_env, monkeypatch):
    leaking_run(monkeypatch, warning=LEAK)

    result = fetch_with_proxy()

    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: GET https://api.openalex.org/works?api_key=***")
    assert_no_secret(result.output)


def test_debug_tracebacks_mask_secrets(secret_env, monkeypatch):
    leaking_run(monkeypatch, RuntimeError(LEAK))

    result = fetch_with_proxy("--debug")

    assert result.exit_code == 1 and "Traceback" in result.stderr and "RuntimeError" in result.stderr
    assert_no_secret(result.output)


def test_known_secrets_come_from_the_environment_and_proxy_urls():
    environ = {"SCRAPERAPI_KEY": " abcd1234 ", "OPENALEX_API_KEY": "", "http_proxy": "http://u:p%40ss1@h:1"}

    found = known_secrets(environ, urls=["http://alice:wonder@h:2", None, "not a url"])

    assert set(found) == {"abcd1234", "p%40ss1", "p@ss1", "alice", "wonder"}
    assert mask("key abcd1234 at http://bob:xy@host", found) == "key *** at http://***@host"
    assert mask("no secrets here", ()) == "no secrets here"
