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
from collections.abc import Iterable, Mapping
from urllib.parse import quote, unquote

KEY_VARIABLES = ("SCRAPERAPI_KEY", "OPENALEX_API_KEY")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
# Shorter values are not replaced anywhere (they would garble ordinary words: a user name "e" would turn
# "refused" into "r***fus***d"); credentials inside a URL are masked by the URL pattern whatever their length.
MIN_LENGTH = 4
# user:password@ right after a scheme's //: everything up to the LAST @ before white space or a quote, so a
# password holding "/", ":" or "@" is hidden whole.
_URL_CREDENTIALS = re.compile(r"(?<=://)[^\s'\"<>]*@")
# Where a URL parser cuts a malformed URL (RFC 3986's general delimiters): a password holding one of them can
# show up in a message in pieces, e.g. httpx's "Invalid port: 'Px'" for http://u:Px/Pass@host.
_URL_DELIMITERS = re.compile(r"[:/?#\[\]@]")


def split_userinfo(url: str) -> tuple[str, str]:
    """``(userinfo, rest)`` of a URL with or without a scheme: userinfo is everything between the scheme's
    ``//`` (or the start) and the last ``@``; ``""`` when there is no ``@``. Never fails."""
    text = url.strip()
    start = text.find("://")
    start = 0 if start < 0 else start + 3
    at = text.rfind("@", start)
    if at < 0:
        return "", text[start:]
    return text[start:at], text[at + 1 :]


def variants(secret: str) -> list[str]:
    """``secret`` as it may be printed: as given, percent-decoded, percent-encoded, and each piece of those
    a URL parser may cut out of it (at ``:/?#[]@``)."""
    forms = dict.fromkeys(s for s in (secret, unquote(secret), quote(secret, safe="")) if s)
    pieces = [p for form in forms for p in _URL_DELIMITERS.split(form)]
    return [*forms, *pieces]


def _credentials(url: str) -> list[str]:
    userinfo, _ = split_userinfo(url)
    if not userinfo:
        return []
    user, colon, password = userinfo.partition(":")
    if not colon:  # a single token (a key or a user name): treat it as the secret
        return variants(user)
    found = variants(password) if password else []
    if password:
        found += [user, unquote(user)]
    return found


def known_secrets(
    environ: Mapping[str, str] | None = None, urls: Iterable[str | None] = (), keys: Iterable[str | None] = ()
) -> tuple[str, ...]:
    """API keys (the environment's and ``keys``) and the credentials of proxy URLs (the environment's and
    ``urls``), with every form and piece of them that could be printed, at least MIN_LENGTH long."""
    environ = os.environ if environ is None else environ
    found: list[str] = []
    for key in [*(environ.get(name, "") for name in KEY_VARIABLES), *keys]:
        if key and key.strip():
            found += variants(key.strip())
    for url in [*(environ.get(name, "") for name in PROXY_VARIABLES), *urls]:
        if url:
            found += _credentials(url)
    # Longest first, so a secret that contains another is replaced whole.
    return tuple(sorted({s for s in found if len(s) >= MIN_LENGTH}, key=len, reverse=True))


def mask(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (at least MIN_LENGTH long) and every ``user:password@`` of a URL replaced by
    ``***``."""
    for secret in sorted((s for s in secrets if len(s) >= MIN_LENGTH), key=len, reverse=True):
        text = text.replace(secret, "***")
    return _URL_CREDENTIALS.sub("***@", text)


def mask_url(url: str) -> str:
    """``http://user:pass@host:8080`` -> ``http://***@host:8080``; also without a scheme, and whatever the
    password holds (everything up to the last ``@`` goes)."""
    userinfo, rest = split_userinfo(url)
    if not userinfo:
        return mask(url, ())
    text = url.strip()
    scheme = text[: text.find("://") + 3] if "://" in text[: len(text) - len(rest)] else ""
    return f"{scheme}***@{rest}"


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
