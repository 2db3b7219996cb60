"""The thin command layer: parse options, call one function, turn errors into exit codes.

One module per group of commands; importing them registers their commands on ``app``, in this order
in ``authorstats --help``: presenting (report, export, serve), gathering (fetch, import, authors),
topics (topics, classify, evaluate, review, taxonomy).
"""

from authorstats.cli import classifying, finding, gathering, reporting  # noqa: F401,I001  (registers the commands, in order)
from authorstats.cli.app import app, main

__all__ = ["app", "main"]
