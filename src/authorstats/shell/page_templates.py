"""Where Jinja keeps the page templates compiled between runs, so a report does not compile them each time (a
twentieth of a second: about 5% of a re-run that reuses every picture)."""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2


@functools.cache  # one cache, so a process making many reports keeps one template environment
def compiled_templates() -> jinja2.BytecodeCache | None:
    """Jinja's file cache of compiled templates in its folder for this user under the system's temporary folder
    (Jinja makes it private to the user and refuses one that is not); None when there is no such folder to use.

    Jinja keys each entry by the template file's name and checks it against the template's source and Jinja's own
    version, but not against the environment's settings (escaping, whitespace): the entries' names here also carry
    a digest of render/html.py, where those settings are, so a template compiled by another program, or by
    another version of authorstats with other settings, is never used. A cache that cannot be written (a full or
    read-only disk) only means compiling every run: the report goes on.
    """
    import hashlib

    import jinja2

    from authorstats.render import html

    settings = hashlib.sha256(Path(html.__file__).read_bytes()).hexdigest()[:16]

    class _Quiet(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        return _Quiet(pattern=f"__authorstats_{settings}_%s.cache")
    except (OSError, RuntimeError):  # no temporary folder, or one Jinja finds unsafe (another user's)
        return None
