"""Proxy URLs checked before any client is made: ``--proxy`` and the ``*_PROXY`` environment variables.

httpx raises ``InvalidURL`` (which quotes pieces of the URL, a password among them) when a client is made
with a malformed proxy; here such a URL is a BadInputError that names where it came from and shows it
with its credentials masked, whatever they hold.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx

from authorstats.errors import BadInputError
from authorstats.sources.masking import PROXY_VARIABLES, mask_url, split_userinfo

SCHEMES = ("http", "https", "socks5", "socks5h")
# A user name or password must hold these percent-encoded, or the URL ends its credentials early (an "@" is
# unambiguous: the credentials end at the last one).
_ENCODE = "/?#"


def check(value: str, origin: str = "--proxy") -> httpx.URL:
    """``value`` as a proxy URL (``http://`` assumed without a scheme, as httpx and curl do for the
    environment's proxies); BadInputError naming ``origin`` when it is not one. Never echoes a secret."""
    text = value.strip()
    if text and "://" not in text:
        text = "http://" + text
    shown = f"{origin} {mask_url(value)!r}"
    userinfo, _ = split_userinfo(text)
    if any(ch in userinfo for ch in _ENCODE):
        raise BadInputError(
            f"{shown} is not a proxy URL: its user name or password holds / ? or #",
            "Percent-encode them in the URL: / as %2F, ? as %3F, # as %23 (a password PA/SS is written PA%2FSS)",
        )
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError):
        url = None
    if url is None or any(ch.isspace() for ch in text) or url.scheme not in SCHEMES or not url.host:
        raise BadInputError(
            f"{shown} is not a proxy URL",
            "Write it as http://HOST:PORT, with USER:PASSWORD@ before HOST if the proxy needs them",
        )
    return url


def check_environment(environ: Mapping[str, str] | None = None) -> None:
    """Check every ``*_PROXY`` variable httpx would use, before it makes a client."""
    environ = os.environ if environ is None else environ
    for name in PROXY_VARIABLES:
        if environ.get(name, "").strip():
            check(environ[name], name)
