"""Google Scholar over HTTP, without scholarly's Navigator: how requests go out (direct, --proxy or
ScraperAPI), one request at a time within the run's deadline with a polite pause, and every refusal
(rate limit, captcha, sign-in or "unusual traffic" page, offline, proxy failure) as one SourceRefused
that says the ways out."""

from __future__ import annotations

import logging
import os
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from authorstats.errors import BadInputError, SourceUnavailableError
from authorstats.sources import Deadline, SourceRefused, proxies, service_name
from authorstats.sources.masking import known_secrets, mask, mask_url

SERVICE = service_name("scholar")
BASE_URL = "https://scholar.google.com"
DELAY = (1.0, 2.0)  # seconds between two requests, drawn at random, as scholarly does
REQUEST_TIMEOUT = 15.0  # scholarly's longest; ScraperAPI needs up to 60 s per request
SCRAPERAPI_TIMEOUT = 60.0
MAX_REDIRECTS = 3
_CAPTCHA_MARKERS = (
    'id="gs_captcha_ccl"',
    'id="recaptcha"',
    'id="captcha-form"',  # the ids scholarly looks for
    'class="g-recaptcha"',
    'class="rc-doscaptcha-body"',
    "google.com/recaptcha/",
)
_UNUSUAL_TRAFFIC = re.compile(r"unusual\s+traffic", re.IGNORECASE)
_DNS_ERRORS = (
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "no address associated",
    "getaddrinfo failed",
)


# ---------------------------------------------------------------------------------------------
# Connection: proxies, the client, secrets kept out of every message


@dataclass(frozen=True)
class Connection:
    """How requests go out: the proxy (if any), shown masked, and the secrets to keep out of messages."""

    proxy: str | None = None
    via: str = "direct"  # for messages and the manifest: never holds a secret
    verify: bool = True
    request_timeout: float = REQUEST_TIMEOUT
    secrets: tuple[str, ...] = ()

    @property
    def proxied(self) -> bool:
        return self.proxy is not None


def connection(proxy: str | None = None, scraperapi_key: str | None = None) -> Connection:
    """Check ``--proxy``, ``SCRAPERAPI_KEY`` (``--proxy`` wins) and the environment's proxies, and say how
    requests will go out. A malformed proxy URL is a BadInputError that shows none of its credentials."""
    if proxy:
        url = proxies.check(proxy, "--proxy")
        if url.scheme.startswith("socks"):
            try:
                import socksio  # noqa: F401  httpx needs it for SOCKS
            except ImportError:
                raise BadInputError(
                    "SOCKS proxies need the socksio package",
                    "Install it (pip install 'httpx[socks]') or use an http:// proxy",
                ) from None
        secrets = known_secrets({}, urls=[proxy, str(url)], keys=[scraperapi_key])
        return Connection(proxy=str(url), via=f"proxy {mask_url(str(url))}", secrets=secrets)
    if scraperapi_key:
        key = scraperapi_key.strip()
        # ScraperAPI's proxy mode, as scholarly's ProxyGenerator.ScraperAPI sets it up; it re-signs
        # TLS, so certificates cannot be verified through it. The key is percent-encoded: a "/" or "@"
        # in it must not change where the URL's password ends.
        return Connection(
            proxy=f"http://scraperapi.retry_404=true:{quote(key, safe='')}@proxy-server.scraperapi.com:8001",
            via="ScraperAPI",
            verify=False,
            request_timeout=SCRAPERAPI_TIMEOUT,
            secrets=known_secrets({}, keys=[key]),
        )
    proxies.check_environment()  # httpx uses them: a malformed one would fail inside it, quoting its password
    for var in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        if os.environ.get(var):
            return Connection(via=f"proxy {mask_url(os.environ[var])} (from {var})")
    return Connection()


def _user_agent() -> str:
    """A desktop browser's User-Agent, chosen at random as scholarly does (Scholar refuses obvious bots)."""
    try:
        from fake_useragent import UserAgent

        logging.getLogger("fake_useragent").disabled = True
        try:
            return UserAgent(platforms="desktop").random
        finally:
            logging.getLogger("fake_useragent").disabled = False
    except Exception:  # fake_useragent is optional in scholarly; its data can be missing
        return "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


def make_client(conn: Connection) -> httpx.Client:
    """The client for Scholar: the proxy of ``conn``, no automatic redirects (each one is inspected)."""
    return httpx.Client(
        proxy=conn.proxy,  # `proxy=`: works with httpx 0.26+, unlike scholarly's `proxies=`
        verify=conn.verify,
        follow_redirects=False,
        headers={
            "User-Agent": _user_agent(),
            "Accept": "text/html,application/xhtml+xml,application/xml",
            "Accept-Language": "en-US,en",
        },
    )


def ways_out(conn: Connection, alternatives: Sequence[str] = ()) -> str:
    """The hint printed with every refusal: proxy, another source, or the bundled snapshot."""
    proxy = (
        "another proxy (--proxy URL, or a ScraperAPI key in SCRAPERAPI_KEY)"
        if conn.proxied
        else "a proxy (--proxy URL, or a ScraperAPI key in SCRAPERAPI_KEY)"
    )
    others = (
        f"another source (--source {'|'.join(alternatives)})"
        if alternatives
        else "another source with --source once one is available"
    )
    return f"Ways out: {proxy}, {others}, or `authorstats report`, which works on the bundled snapshot without fetching"


# ---------------------------------------------------------------------------------------------
# One request at a time, within the deadline


class NotFound(Exception):
    """Scholar answered 404: the profile or publication id does not exist."""


class ScholarHttp:
    """Sends each request once, pausing politely between requests, and explains every refusal."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        deadline: Deadline | None = None,
        base_url: str = BASE_URL,
        conn: Connection | None = None,
        delay: tuple[float, float] = DELAY,
        rng: random.Random | None = None,
        alternatives: Sequence[str] = (),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.sleep = sleep
        self.deadline = deadline or Deadline(None)
        self.base_url = base_url.rstrip("/")
        self.conn = conn or Connection()
        self.delay = delay
        self.rng = rng or random.Random()
        self.hint = ways_out(self.conn, alternatives)
        self.requests = 0  # sent, including refused ones
        self.answered = 0  # pages that came back usable

    def get_page(self, url: str) -> str:
        """The HTML of ``url`` (a path on Scholar or a full URL); SourceRefused on any refusal."""
        if url.startswith("/"):
            url = self.base_url + url
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(url)
            if response.is_redirect:
                target = response.url.join(response.headers.get("location", ""))
                self._check_redirect(target)
                url = str(target)
                continue
            self._check_page(response)
            self.answered += 1
            return response.text
        raise SourceUnavailableError(
            f"{SERVICE} redirected more than {MAX_REDIRECTS} times for {url}", "Check the scholar id in the roster"
        )

    def _send(self, url: str) -> httpx.Response:
        if self.requests and self.delay[1] > 0:
            pause = self.rng.uniform(*self.delay)
            if pause >= self.deadline.remaining():
                raise self._deadline()
            self.sleep(pause)
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise self._deadline()
        timeout = min(self.conn.request_timeout, remaining)
        self.requests += 1
        responses: list[httpx.Response] = []
        errors: list[BaseException] = []

        def work() -> None:
            try:
                responses.append(self.client.get(url, timeout=timeout))
            except BaseException as exc:  # handed to the waiting thread below
                errors.append(exc)

        # The request runs in a daemon thread so that nothing (a DNS lookup that hangs, a server that
        # trickles bytes) can hold the run past its deadline: httpx's timeouts do not cover those.
        worker = threading.Thread(target=work, name="authorstats-scholar-request", daemon=True)
        worker.start()
        worker.join(None if remaining == float("inf") else remaining)
        if worker.is_alive():
            raise self._deadline()
        if errors:
            raise self._unreachable(errors[0], timeout) from None
        return responses[0]

    def _refused(self, cause: str) -> SourceRefused:
        return SourceRefused(f"{SERVICE} refused: {cause}", self.hint)

    def _deadline(self) -> SourceRefused:
        limit = f"{self.deadline.seconds:g} s" if self.deadline.seconds is not None else "deadline"
        if self.answered:
            return SourceRefused(
                f"{SERVICE}: stopped at the --deadline of {limit}",
                "What was fetched is kept: run the same command again to resume, "
                "or allow more time with --deadline SECONDS",
            )
        return SourceRefused(f"{SERVICE} did not answer within the --deadline of {limit}", self.hint)

    def _unreachable(self, exc: BaseException, timeout: float) -> BaseException:
        if not isinstance(exc, (httpx.HTTPError, OSError)):
            return exc  # a bug or KeyboardInterrupt: not ours to explain
        detail = mask(str(exc), self.conn.secrets) or type(exc).__name__
        host = httpx.URL(self.base_url).host
        if isinstance(exc, httpx.TimeoutException):
            cause = f"no answer within {timeout:g} s"
        elif isinstance(exc, httpx.ProxyError):
            cause = f"the {self.conn.via} failed ({detail})"
        elif isinstance(exc, httpx.ConnectError) and self.conn.proxied:
            cause = f"could not connect to the {self.conn.via} ({detail})"
        elif isinstance(exc, httpx.ConnectError) and _is_dns_failure(exc):
            cause = f"the name {host} could not be looked up (offline, or DNS is blocked)"
        elif isinstance(exc, httpx.ConnectError):
            cause = f"could not connect to {host} ({detail})"
        else:
            cause = f"{type(exc).__name__}: {detail}"
        return SourceRefused(f"{SERVICE} could not be reached: {cause}", self.hint)

    def _check_redirect(self, target: httpx.URL) -> None:
        host, path = target.host or "", target.path or ""
        if host.startswith("accounts.google.") or "ServiceLogin" in path:
            raise self._refused(f"it redirected to a Google sign-in page ({host})")
        if path.startswith("/sorry"):
            raise self._refused(f'it redirected to Google\'s "unusual traffic" page ({host}{path})')
        if host.startswith("consent.google."):
            raise self._refused("it redirected to Google's cookie-consent page, which needs a browser")
        if host != httpx.URL(self.base_url).host:
            raise self._refused(f"it redirected away from Scholar, to {host}")

    def _check_page(self, response: httpx.Response) -> None:
        status = response.status_code
        text = response.text if "html" in response.headers.get("content-type", "text/html") else ""
        path = response.url.path or ""
        if response.url.host.startswith("accounts.google.") or "ServiceLogin" in path:
            raise self._refused("it answered with a Google sign-in page")
        if path.startswith("/sorry") or _UNUSUAL_TRAFFIC.search(text):
            raise self._refused(f'Google\'s "unusual traffic" page (HTTP {status}): it takes this address for a robot')
        if any(marker in text for marker in _CAPTCHA_MARKERS):
            raise self._refused(f"it asks for a CAPTCHA (HTTP {status})")
        if status == 429:
            raise self._refused("too many requests (HTTP 429): Google is rate-limiting this address")
        if status == 403:
            raise self._refused("access denied (HTTP 403): Google blocks this address")
        if status == 404:
            raise NotFound()
        if status >= 500:
            raise SourceRefused(f"{SERVICE} had a server error (HTTP {status})", self.hint)
        if status != 200:
            raise SourceUnavailableError(f"{SERVICE} answered HTTP {status}", "Try again later")


def _is_dns_failure(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:  # httpx wraps httpcore's error, which wraps the socket's
        if isinstance(exc, socket.gaierror) or any(marker in str(exc).lower() for marker in _DNS_ERRORS):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
