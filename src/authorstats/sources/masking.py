"""The one place secrets are masked: the secrets a run knows (API keys, proxy passwords), hiding them
and URL credentials in any text, and keeping ``api_key=`` out of httpx's request log lines.

Sources mask what they say themselves with :func:`mask`; the command layer masks every line it
prints with it too (error lines, warnings, --debug tracebacks). Light on purpose: imported while
the CLI starts.
"""

from __future__ import annotations

import logging
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


def mask_url(url: str) -> str:
    """``http://user:pass@host:8080`` -> ``http://***@host:8080``."""
    return mask(url, ())


class _HideKeysInUrls(logging.Filter):
    """httpx logs every request's full URL (at INFO); a key sent as ``api_key=`` must not go with it."""

    _KEY = re.compile(r"(?<=[?&]api_key=)[^&\s\"']+")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self._KEY.sub("***", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


_HIDE_KEYS = _HideKeysInUrls()


def hide_keys_in_http_logs() -> None:
    """Mask ``api_key=`` values in the request lines httpx logs (idempotent)."""
    logger = logging.getLogger("httpx")
    if _HIDE_KEYS not in logger.filters:
        logger.addFilter(_HIDE_KEYS)
