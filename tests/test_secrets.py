"""Secrets (ScraperAPI key, OpenAlex key, proxy credentials) never reach output, logs, manifests or reports.

One end-to-end run sets all of them (environment and --proxy), fetches through `--source auto` (Scholar
refuses, OpenAlex serves), then reports; every printed line and every file of the workspace is searched.
Further tests push a secret into the generic error paths: a warning, an internal error and --debug.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import httpx
import pytest
import respx
from conftest import files_under
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.shell import fetch
from authorstats.sources import scholar
from authorstats.sources.masking import known_secrets, mask, mask_url

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


@pytest.mark.slow
def test_fetch_and_report_with_every_secret_set_print_and_write_none(secret_env, workspace, tmp_path, caplog):
    roster = tmp_path / "roster.toml"
    roster.write_text(ROSTER, encoding="utf-8")
    pages = [
        json.loads((FIXTURES / name).read_text(encoding="utf-8")) for name in ("works_page1.json", "works_page2.json")
    ]
    proxy = f"http://alice:{PROXY_PASSWORD}@127.0.0.1:3128"
    caplog.set_level(logging.DEBUG)

    with respx.mock(assert_all_called=False) as mock:
        mock.get(url__startswith="https://scholar.google.com/").return_value = httpx.Response(429)
        works = mock.get("https://api.openalex.org/works")
        works.side_effect = [httpx.Response(200, json=page) for page in pages]
        fetched = runner.invoke(app, ["fetch", "-w", str(workspace), "--roster", str(roster), "--proxy", proxy])
    reported = runner.invoke(
        app, ["report", "-w", str(workspace), "--roster", str(roster), "--dpi", "50", "--cloud-size", "300x150"]
    )

    assert fetched.exit_code == 0, fetched.output
    assert "trying OpenAlex" in fetched.stderr and "lecun: data from OpenAlex" in fetched.stderr
    assert works.calls and all(call.request.url.params["api_key"] == OPENALEX_KEY for call in works.calls)
    assert reported.exit_code == 0, reported.output
    files = files_under(workspace)
    assert "data/raw/openalex/manifest.json" in files and "reports/index.html" in files
    everything = "\n".join(
        [fetched.output, reported.output, caplog.text, *(data.decode("utf-8", "replace") for data in files.values())]
    )
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


LEAK = (
    f"GET https://api.openalex.org/works?api_key={OPENALEX_KEY} via "
    f"http://alice:{PROXY_PASSWORD}@127.0.0.1:3128 and "
    f"http://scraperapi:{SCRAPER_KEY}@proxy-server.scraperapi.com:8001 "
    f"(env proxy {ENV_PROXY_PASSWORD})"
)


def fetch_with_proxy(*extra: str):
    return runner.invoke(
        app,
        [
            *extra,
            "fetch",
            "-w",
            ".",
            "--source",
            "scholar",
            "--author",
            "lecun",
            "--proxy",
            f"http://alice:{PROXY_PASSWORD}@127.0.0.1:3128",
        ],
    )


def test_an_internal_error_line_masks_secrets(secret_env, monkeypatch):
    leaking_run(monkeypatch, RuntimeError(LEAK))

    result = fetch_with_proxy()

    assert result.exit_code == 1 and result.stderr.startswith(
        "Internal error: RuntimeError: GET https://api.openalex.org"
    )
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

    assert set(found) == {"abcd1234", "p%40ss1", "p@ss1", "p%2540ss1", "alice", "wonder"}
    assert mask("key abcd1234 at http://bob:xy@host", found) == "key *** at http://***@host"
    assert mask("no secrets here", ()) == "no secrets here"


# Issue 12, case 8: a secret of any shape (no scheme, a "/" in it, a one-letter user) is never printed.

SLASHED = "Px/Pass-w0rd"  # httpx cuts it at the "/": "Invalid port: 'Px'"
SHAPES = {
    "--proxy without a scheme": (
        "proxyuser:Secret-pw9",
        ["--proxy", "proxyuser:Secret-pw9@127.0.0.1:9"],
        {},
        3,
        "Error: Google Scholar could not be reached: could not connect to the proxy http://***@127.0.0.1:9 (",
    ),
    "--proxy with a / in the password": (
        SLASHED,
        ["--proxy", f"http://u:{SLASHED}@127.0.0.1:9"],
        {},
        2,
        "Error: --proxy 'http://***@127.0.0.1:9' is not a proxy URL: its user name "
        "or password holds / ? or #. Percent-encode them",
    ),
    "HTTPS_PROXY with a / in the password": (
        SLASHED,
        [],
        {"HTTPS_PROXY": f"http://u:{SLASHED}@127.0.0.1:9"},
        2,
        "Error: HTTPS_PROXY 'http://***@127.0.0.1:9' is not a proxy URL",
    ),
    "SCRAPERAPI_KEY with a / in it": (
        "Kq7/Zx-0123456789abc",
        [],
        {"SCRAPERAPI_KEY": "Kq7/Zx-0123456789abc"},
        3,
        "Error: Google Scholar could not be reached: could not connect to the ScraperAPI",
    ),
}


def pieces(secret: str) -> list[str]:
    """The secret and every piece of it a URL parser could cut out (two characters or more)."""
    return [p for p in [secret, *re.split(r"[:/?#@]", secret)] if len(p) >= 2]


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_no_piece_of_a_secret_of_any_shape_is_printed_or_written(shape, debug, workspace, monkeypatch):
    secret, options, env, exit_code, line = SHAPES[shape]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    (workspace / "notes.txt").write_text("mine\n", encoding="utf-8")

    result = runner.invoke(
        app,
        [
            *(["--debug"] if debug else []),
            "fetch",
            "-w",
            str(workspace),
            "--source",
            "scholar",
            "--author",
            "hinton",
            *options,
        ],
    )

    assert result.exit_code == exit_code, result.output
    last = result.stderr.rstrip("\n").splitlines()[-1]
    assert last.startswith(line), result.stderr
    if not debug:
        assert result.stderr.count("\n") == 1, result.stderr  # one line, no "Internal error" or traceback
    assert "Internal error" not in result.output and "InvalidURL" not in result.output
    written = files_under(workspace)
    assert written["notes.txt"] == b"mine\n"
    everything = result.output + "".join(data.decode("utf-8", "replace") for data in written.values())
    for piece in pieces(secret):
        assert piece not in everything, piece


def test_a_one_letter_user_name_does_not_garble_the_message(workspace):
    result = runner.invoke(
        app,
        [
            "fetch",
            "-w",
            str(workspace),
            "--source",
            "scholar",
            "--author",
            "hinton",
            "--proxy",
            "http://e:Secret-pw9@127.0.0.1:9",
        ],
    )

    assert result.exit_code == 3
    assert "could not connect to the proxy http://***@127.0.0.1:9" in result.stderr
    assert "Connection refused" in result.stderr and "Secret-pw9" not in result.stderr
    assert result.stderr.count("***") == 1, result.stderr


def test_credentials_are_masked_whatever_they_hold():
    found = known_secrets({}, urls=[f"http://u:{SLASHED}@h:1", "bob:hunter22@h:2"], keys=["Kq7/Zx-0123456789abc"])

    assert {SLASHED, "Pass-w0rd", "hunter22", "Zx-0123456789abc", "Kq7%2FZx-0123456789abc"} <= set(found)
    assert not any(len(s) < 4 for s in found)  # "u", "Px", "Kq7": too short to replace anywhere
    assert mask(f"via http://u:{SLASHED}@h:1 and http://a:b@c@h:2", ()) == "via http://***@h:1 and http://***@h:2"
    assert mask_url(f"u:{SLASHED}@h:1") == "***@h:1" and mask_url(f"socks5://u:{SLASHED}@h:1") == "socks5://***@h:1"
    assert mask("Connection refused", known_secrets({}, urls=["http://e:f@h:1"])) == "Connection refused"


@pytest.mark.parametrize("source", ["openalex", "dblp"])
def test_a_malformed_environment_proxy_is_bad_input_for_the_api_sources_too(source, workspace, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", f"http://u:{SLASHED}@127.0.0.1:9")
    monkeypatch.setenv("OPENALEX_API_KEY", OPENALEX_KEY)

    result = runner.invoke(app, ["fetch", "-w", str(workspace), "--source", source, "--author", "lecun"])

    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: HTTPS_PROXY 'http://***@127.0.0.1:9' is not a proxy URL")
    assert not any(piece in result.output for piece in pieces(SLASHED))
