"""Merging stays bounded where records share a key (issue 25, case 3), through the command line.

Each report runs in a child process whose address space is capped (RLIMIT_AS, 1.5 GB): before the one-pass
grouping and the cap, 8,000 records titled "Editorial" took 6 GB and 20,000 titles "Self-supervised learning
number N" more than 6 GB (both ended in MemoryError), so a return of the square fails these tests by behaviour,
not by a timer. The child uses pyarrow's system memory pool (ARROW_DEFAULT_MEMORY_POOL=system): its default,
mimalloc, reserves 1 GiB of address space up front (pandas' strings are pyarrow's), which would leave the cap no
room; so the bundled snapshot's report takes 0.4 GB of address space, these 0.7 GB at most.
"""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each starts two processes and merges thousands of records

LIMIT = 1_500_000_000  # bytes of address space the report may use
SAFETY_NET = 600  # seconds: only so that a hang cannot stall the suite; the assertions are on the outcome


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _authorstats(*args: str, limited: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "ARROW_DEFAULT_MEMORY_POOL": "system"}
    return subprocess.run(
        [sys.executable, "-m", "authorstats", *args],
        capture_output=True,
        text=True,
        timeout=SAFETY_NET,
        preexec_fn=_limited if limited else None,
        env=env,
    )


def _imported(tmp_path: Path, name: str, text: str) -> Path:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (tmp_path / name).write_text(text, encoding="utf-8")
    done = _authorstats("import", str(tmp_path / name), "--author", "lecun", "-w", str(workspace))
    assert done.returncode == 0, done.stderr
    return workspace


def _report(workspace: Path) -> subprocess.CompletedProcess[str]:
    # the generated records alone (--no-snapshot): the bundled works would otherwise be added to them
    return _authorstats("report", "-w", str(workspace), "-a", "lecun", "--tables-only", "--no-snapshot", limited=True)


def test_eight_thousand_identical_titles_are_one_work_in_bounded_memory(tmp_path):
    rows = "".join(f"lecun,Editorial,{2021 + number % 2}\n" for number in range(8000))
    workspace = _imported(tmp_path, "editorials.csv", "author,title,year\n" + rows)
    done = _report(workspace)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Internal error" not in done.stderr and "merging compared" not in done.stderr
    table = list(csv.DictReader((workspace / "reports" / "lecun_topics.csv").open(encoding="utf-8")))
    assert {"Topic": "Total", "Count": "1"}.items() <= table[0].items()  # one work, counted once
    duplicates = (workspace / "data" / "processed" / "duplicates.csv").read_text(encoding="utf-8")
    assert duplicates.count("\n") == 8000  # the header and one row per version merged into the kept one


def test_twenty_thousand_near_equal_titles_stay_bounded_and_the_report_says_so(tmp_path):
    ris = "".join(
        f"TY  - JOUR\nAU  - LeCun, Yann\nTI  - Self-supervised learning number {number}\nPY  - 2021\nER  - \n\n"
        for number in range(20_000)
    )
    workspace = _imported(tmp_path, "numbered.ris", ris)
    done = _report(workspace)
    assert done.returncode == 0, done.stderr[-2000:]
    warning = [line for line in done.stderr.splitlines() if "merging compared" in line]
    assert len(warning) == 1 and "of lecun's 20,000 records" in warning[0] and "at most 300 others" in warning[0]
    summary = (workspace / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "merging compared" in summary and "docs/scale.md" in summary
    table = list(csv.DictReader((workspace / "reports" / "lecun_topics.csv").open(encoding="utf-8")))
    assert table[0]["Count"] == "20000"  # the numbers differ: no two of them are one work
