"""Draw the README's picture, docs/images/example.png, from what authorstats prints today.

    .venv/bin/python scripts/readme_picture.py

The picture sets Yann LeCun's topic chart beside Yoshua Bengio's word cloud, both from the bundled snapshot, as
the seminar did (LeCun's papers tagged, Bengio's too many to tag). Its numbers come from the public library API
(``authorstats.compute_report`` on ``authorstats.snapshot_records()``) and are written beside it to
docs/images/example.json; tests/test_readme_picture.py fails when they no longer match the report.

The two pictures are the report's own: the script runs ``authorstats report`` on the bundled snapshot in a
scratch workspace (the word clouds drawn 1000x750 with ``--cloud-size``, the height of a topic chart, so that the
two stand side by side), checks that the tables the command wrote hold the library's numbers, and sets
``reports/lecun_topics.png`` beside ``reports/bengio_wordcloud.png``. The result is reduced to 256 colours (the
topic colours kept) to stay small; the same data and package versions give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import authorstats

ROOT = Path(__file__).resolve().parents[1]
PICTURE = ROOT / "docs" / "images" / "example.png"
NUMBERS = PICTURE.with_suffix(".json")
COMMAND = ".venv/bin/python scripts/readme_picture.py"

YEARS = "2021-2022"
CHART = "lecun"  # whose topic chart is drawn
CLOUD = "bengio"  # whose word cloud is drawn
CLOUD_SIZE = "1000x750"  # the height of a topic chart (8 x 5 inches at 150 dpi)
WORDS = 10  # the cloud's biggest words kept in example.json
GAP = 32  # white pixels between the two pictures
MAX_BYTES = 300_000


def current_numbers() -> dict[str, Any]:
    """The numbers the picture draws, as the library computes them today (what example.json holds)."""
    data = authorstats.compute_report(
        authorstats.snapshot_records(),
        roster=authorstats.load_roster(),
        taxonomy=authorstats.load_taxonomy(),
        years=YEARS,
        options=authorstats.report_options(),  # the bundled stop words and venue aliases, as `report` uses
    )
    authors = []
    for key, drawn in ((CHART, "topic chart"), (CLOUD, "word cloud")):
        item = next(a for a in data.authors if a.author.key == key)
        table = data.table(key)  # the seminar table: Total first, then the topics by count, as the chart draws them
        topics = {str(topic): int(count) for topic, count in zip(table["Topic"], table["Count"])}
        total = topics.pop("Total")
        entry: dict[str, Any] = {"key": key, "name": item.author.name, "drawn": drawn, "total": total, "topics": topics}
        if key == CLOUD:
            biggest = sorted(item.cloud_weights.items(), key=lambda pair: (-pair[1], pair[0]))[:WORDS]
            entry["biggest_words"] = [word for word, _ in biggest]
        authors.append(entry)
    return {
        "made_by": COMMAND,
        "picture": PICTURE.name,
        "data": "bundled snapshot",
        "years": YEARS,
        "authors": authors,
    }


def report_pictures(workspace: Path) -> dict[str, Path]:
    """Run ``authorstats report`` on the bundled snapshot in ``workspace``; the files it wrote, by name."""
    command = [sys.executable, "-m", "authorstats", "report", "--workspace", str(workspace), "--years", YEARS]
    done = subprocess.run([*command, "--cloud-size", CLOUD_SIZE], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"authorstats report failed (exit {done.returncode}):\n{done.stderr}")
    return {path.name: path for path in (workspace / "reports").iterdir()}


def check_tables(files: dict[str, Path], numbers: dict[str, Any]) -> None:
    """Stop when the command's topic tables differ from the library's numbers (the picture would not show them)."""
    for author in numbers["authors"]:
        with files[f"{author['key']}_topics.csv"].open(encoding="utf-8", newline="") as handle:
            written = [(row["Topic"], int(row["Count"])) for row in csv.DictReader(handle)]
        expected = [("Total", author["total"]), *author["topics"].items()]
        if written != expected:
            sys.exit(f"{author['key']}_topics.csv of `authorstats report` is {written}, the library gives {expected}")


def side_by_side(left: Path, right: Path) -> bytes:
    """The two pictures side by side on white, ``right`` scaled to the height of ``left``, as a 256-colour PNG."""
    from PIL import Image

    chart = Image.open(left).convert("RGB")
    cloud = Image.open(right).convert("RGB")
    if cloud.height != chart.height:
        width = round(cloud.width * chart.height / cloud.height)
        cloud = cloud.resize((width, chart.height), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (chart.width + GAP + cloud.width, chart.height), "white")
    canvas.paste(chart, (0, 0))
    canvas.paste(cloud, (chart.width + GAP, 0))
    # Maximum coverage keeps every topic colour within a few units; no dithering keeps the text clean.
    small = canvas.quantize(colors=256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def main() -> None:
    numbers = current_numbers()
    with tempfile.TemporaryDirectory(prefix="readme-picture-") as scratch:
        files = report_pictures(Path(scratch))
        check_tables(files, numbers)
        picture = side_by_side(files[f"{CHART}_topics.png"], files[f"{CLOUD}_wordcloud.png"])
    if len(picture) > MAX_BYTES:
        sys.exit(f"the picture is {len(picture):,} bytes, over the {MAX_BYTES:,} a README picture should take")
    PICTURE.write_bytes(picture)
    NUMBERS.write_text(json.dumps(numbers, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for author in numbers["authors"]:
        topics = ", ".join(f"{topic} {count}" for topic, count in author["topics"].items())
        print(f"{author['name']} ({author['drawn']}): Total {author['total']}; {topics}")
    print(f"Wrote {PICTURE.relative_to(ROOT)} ({len(picture):,} bytes) and {NUMBERS.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
