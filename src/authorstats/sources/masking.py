"""The secrets a run knows (API keys, proxy passwords) and masking them out of any line it prints.

Sources mask what they say themselves; this is the last guard at the command layer, for error
lines, warnings and --debug tracebacks. Light on purpose: imported while the CLI starts.
"""

from __future__ import annotations

import os
import re
from typing import Iterable, Mapping
from urllib.parse import unquote, urlsplit

KEY_VARIABLES = ("SCRAPERAPI_KEY", "OPENALEX_API_KEY")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
# Shorter values are not replaced everywhere (they would garble ordinary words); credentials inside
# a URL are masked by the URL pattern whatever their length.
MIN_LENGTH = 4
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]*@")


def _credentials(url: str) -> list[str]:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return []
    found = []
    if parts.password:
        found += [parts.password, unquote(parts.password)]
        if parts.username:
            found += [parts.username, unquote(parts.username)]
    return found


def known_secrets(environ: Mapping[str, str] | None = None, urls: Iterable[str | None] = ()) -> tuple[str, ...]:
    """API keys from the environment and the credentials of proxy URLs (environment and ``urls``)."""
    environ = os.environ if environ is None else environ
    found = [environ.get(name, "").strip() for name in KEY_VARIABLES]
    for url in [*(environ.get(name, "") for name in PROXY_VARIABLES), *urls]:
        if url:
            found += _credentials(url)
    # Longest first, so a secret that contains another is replaced whole.
    return tuple(sorted({s for s in found if len(s) >= MIN_LENGTH}, key=len, reverse=True))


def mask(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret and every ``user:password@`` of a URL replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _URL_CREDENTIALS.sub("***@", text)
