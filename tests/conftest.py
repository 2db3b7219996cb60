"""Shared test set-up: the network is blocked (loopback only), and small helpers for workspaces."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
_LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def _is_loopback(host: object) -> bool:
    return isinstance(host, str) and (host in _LOOPBACK or host.startswith("127."))


class NetworkBlocked(OSError):
    """Raised by any attempt to reach a host other than loopback during tests."""


def _guard_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(host):
        raise NetworkBlocked(f"tests run offline: connection to {address!r} blocked")
    return _real_connect(self, address)


def _guard_connect_ex(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(host):
        raise NetworkBlocked(f"tests run offline: connection to {address!r} blocked")
    return _real_connect_ex(self, address)


def _guard_getaddrinfo(host, *args, **kwargs):
    if host is not None and not _is_loopback(host if isinstance(host, str) else host.decode()):
        raise socket.gaierror(socket.EAI_NONAME, f"tests run offline: lookup of {host!r} blocked")
    return _real_getaddrinfo(host, *args, **kwargs)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current output (after an intended change; review the diff)",
    )


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guard_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guard_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _guard_getaddrinfo)
    for var in (
        "SCRAPERAPI_KEY",
        "OPENALEX_API_KEY",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty workspace folder."""
    root = tmp_path / "ws"
    root.mkdir()
    return root


def files_under(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its bytes: compare before/after to prove nothing changed."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def shared_report(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """`authorstats report --no-clouds --dpi 50` of the bundled snapshot in an empty workspace, made once per test run
    for the tests that only read it: gives the workspace and the command's output. A test that writes into its
    workspace makes its own report; the end of the run checks that no test changed a file of this one."""
    from typer.testing import CliRunner

    from authorstats.cli import app

    root = tmp_path_factory.mktemp("shared_report")
    result = CliRunner().invoke(app, ["report", "-w", str(root), "--no-clouds", "--dpi", "50"])
    assert result.exit_code == 0, result.output
    before = files_under(root)
    yield root, result.output
    assert files_under(root) == before, f"a test changed the shared report in {root}"
