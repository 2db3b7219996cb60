"""`authorstats serve`: Datasette on data/processed/authorstats.db, on this machine unless told otherwise.

Datasette reads the file it opened; `report` replaces the database by renaming a new file over it. So every
request first looks at which file the path names now, and serves that one (_Following); and Datasette's error
page is shown without Datasette printing each error as a traceback (_ErrorPages).
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import socket
import sqlite3
import threading
import time
import types
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from authorstats.errors import BadInputError
from authorstats.shell import database, store

log = logging.getLogger(__name__)

INSTALL = "pip install 'authorstats[serve]'"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port
    open_browser: bool = True


def is_local(host: str) -> bool:
    return host in LOCAL_HOSTS or host.startswith("127.")


def require_datasette() -> None:
    if importlib.util.find_spec("datasette") is None:
        raise BadInputError("Datasette is not installed, and `serve` runs on it", f"Install it: {INSTALL}")


def check_database(workspace: store.Workspace) -> Path:
    """The workspace's database, refused (exit 2) when `report` has not written it or it is not one."""
    path = database.database_path(workspace)
    if not path.is_file():
        raise BadInputError(f"no database at {path}", "Run `authorstats report` first: it writes the database")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            connection.execute("select count(*) from works").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BadInputError(
            f"{path} is not a database authorstats wrote ({exc})", "Run `authorstats report` to write it again"
        ) from None
    return path


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port the system picks), or exit 2 saying why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except (OSError, OverflowError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BadInputError(
            f"cannot listen on {host} port {port}: {why}",
            "Choose another --port (0 picks a free one) or another --host",
        ) from None


def serve(workspace: store.Workspace, options: ServeOptions, echo: Callable[[str], None]) -> None:
    """Serve the workspace's database with Datasette until Ctrl-C (or SIGTERM); says where, opens a browser."""
    require_datasette()
    path = check_database(workspace)
    if not is_local(options.host):
        log.warning(
            "serving on %s: anyone who can reach this machine there can read the database; "
            "leave out --host to serve on 127.0.0.1 only",
            options.host,
        )
    import uvicorn
    from datasette.app import Datasette

    from authorstats.analysis.database import datasette_metadata

    name = path.stem
    # num_sql_threads 0: the queries run in the server's own thread, so each database has its own connection
    # (Datasette's threads keep one per database *name*), which _Following can close when the file is replaced
    app = Datasette(
        [str(path)], metadata=datasette_metadata(name), settings={"default_facet_size": 30, "num_sql_threads": 0}
    )
    _quiet_error_pages()
    sock = listen(options.host, options.port)
    port = sock.getsockname()[1]
    shown_host = f"[{options.host}]" if ":" in options.host else options.host
    url = f"http://{shown_host}:{port}/{name}/works"
    server = uvicorn.Server(uvicorn.Config(_Following(app, path, name), log_level="warning", lifespan="on"))
    echo(f"Serving {path} at {url} (Ctrl-C to stop).")
    if options.open_browser:
        threading.Thread(target=_open_when_started, args=(server, url, echo), daemon=True).start()
    try:
        with sock:
            server.run(sockets=[sock])
    except KeyboardInterrupt:  # the way to stop it: not an interruption of work
        pass
    echo("Stopped.")


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class _Following:
    """The application `serve` runs: Datasette on the file that the database's path names now.

    `report` replaces authorstats.db by renaming a new file over it, and Datasette would go on reading the file it
    opened: the old counts after every reload, and the old file's disk space held until `serve` stops. Before each
    request the path is looked at (its device and inode); when it names another file, Datasette is given that file
    under the same name, and the old file's connection is closed once no request is using it.
    """

    def __init__(self, datasette: Any, path: Path, name: str) -> None:
        self.datasette, self.path, self.name = datasette, path, name
        self.app = datasette.app()
        self.served = self._identity()
        self.running = 0
        self.retired: list[Any] = []  # the Database objects of files replaced since, closed when no request runs

    def _identity(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return found.st_dev, found.st_ino

    def follow(self) -> None:
        """Serve the file at ``path`` if it is not the one served (a missing path keeps the last one)."""
        from datasette.database import Database

        now = self._identity()
        if now is None or now == self.served:
            return
        old = self.datasette.databases.get(self.name)
        self.datasette.remove_database(self.name)
        self.datasette.add_database(Database(self.datasette, path=str(self.path), is_mutable=True), name=self.name)
        self.served = now
        if old is not None:
            self.retired.append(old)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.follow()
        self.running += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.running -= 1
            if not self.running:
                for database in self.retired:
                    database.close()
                self.retired.clear()


_ERRORS = "authorstats-error-pages"


def _quiet_error_pages() -> None:
    """Show Datasette's error page (JSON for a .json address) without printing anything for an error Datasette
    explains (a missing page, a bad parameter), and one line for any other, as the rest of authorstats does.

    It replaces Datasette's own handler, which prints every error, a 404 too, as a Rich traceback with each frame's
    local variables (634 lines for three bad requests), and which cannot be silenced otherwise: Datasette runs every
    handler it has.
    """
    from datasette import Response, hookimpl
    from datasette.plugins import pm
    from datasette.utils.asgi import Base400
    from datasette.views.base import DatasetteError
    from markupsafe import Markup

    def handle_exception(datasette: Any, request: Any, exception: BaseException) -> Any:
        async def page() -> Any:
            info: dict[str, Any] = {}
            title = None
            if isinstance(exception, Base400):
                status, message = exception.status, str(exception.args[0] if exception.args else exception)
            elif isinstance(exception, DatasetteError):
                status, info, title = exception.status, dict(exception.error_dict), exception.title
                message = Markup(exception.message) if exception.message_is_html else exception.message
            else:
                status, message = 500, str(exception)
                what = f"{request.method} {request.path}"
                log.error("serve could not answer %s: %s: %s", what, type(exception).__name__, message)
            info.update({"ok": False, "error": message, "status": status, "title": title})
            if request.path.split("?")[0].endswith(".json"):
                return Response.json(info, status=status)
            html = await datasette.render_template([f"{status}.html", "error.html"], info, request=request)
            return Response.html(html, status=status)

        return page

    if pm.get_plugin(_ERRORS) is None:
        if pm.get_plugin("datasette.handle_exception") is not None:
            pm.unregister(name="datasette.handle_exception")
        plugin = types.ModuleType(_ERRORS)  # a plugin is an object holding marked functions, as a module does
        plugin.handle_exception = hookimpl(handle_exception)  # type: ignore[attr-defined]
        pm.register(plugin, name=_ERRORS)


def _open_when_started(server: object, url: str, echo: Callable[[str], None], wait: float = 30.0) -> None:
    import webbrowser

    deadline = time.monotonic() + wait
    while not getattr(server, "started", False) and time.monotonic() < deadline:
        time.sleep(0.1)
    if not webbrowser.open(url):
        echo(f"Could not open a browser; open {url} yourself.")
