"""`report` removes the files an earlier report wrote and it does not write now, and never any other file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authorstats.cli import app

pytestmark = pytest.mark.slow  # every test runs two or more whole reports in one workspace

runner = CliRunner()
SMALL = ("--cloud-size", "400x200", "--dpi", "60")


def report(root: Path, *args: str) -> None:
    result = runner.invoke(app, ["report", "--workspace", str(root), *SMALL, *args])
    assert result.exit_code == 0, result.output


# Beside the files it lists: the manifest itself, and what the command made the report from (report_run.json).
NOT_LISTED = {"data/processed/report_manifest.json", "data/processed/report_run.json"}


def listing(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def manifest(root: Path) -> dict:
    return json.loads((root / "data" / "processed" / "report_manifest.json").read_text(encoding="utf-8"))


def test_after_each_run_reports_holds_what_that_run_writes_and_the_users_own_files(workspace, tmp_path):
    (workspace / "reports").mkdir()
    (workspace / "reports" / "my_notes.txt").write_text("mine\n", encoding="utf-8")
    (workspace / "reports" / "old_chart.png").write_bytes(b"a picture the user drew")  # not the report's
    runs = [(), ("--years", "1990"), ("--no-clouds",), ("--format", "svg")]
    for number, args in enumerate(runs):
        report(workspace, *args)
        fresh = tmp_path / f"fresh{number}"  # the same command in an empty workspace: what this run writes
        fresh.mkdir()
        report(fresh, *args)
        assert listing(workspace) == listing(fresh) | {"reports/my_notes.txt", "reports/old_chart.png"}, args
        assert (workspace / "reports" / "my_notes.txt").read_text(encoding="utf-8") == "mine\n"
        assert set(manifest(workspace)["files"]) == listing(fresh) - NOT_LISTED
    now = listing(workspace)  # the last run: charts as SVG, no PNG chart left from the runs before
    assert "reports/lecun_topics.svg" in now and "reports/lecun_topics.png" not in now


def test_a_report_file_the_user_changed_since_is_kept(workspace):
    report(workspace, "--author", "lecun", "--author", "hinton")
    cloud = workspace / "reports" / "lecun_wordcloud.png"
    cloud.write_bytes(b"the user's own edit")
    result = runner.invoke(
        app, ["report", "--workspace", str(workspace), *SMALL, "--no-clouds", "--author", "lecun", "--author", "hinton"]
    )
    assert result.exit_code == 0
    assert cloud.read_bytes() == b"the user's own edit"
    assert not (workspace / "reports" / "hinton_wordcloud.png").exists()
    assert "lecun_wordcloud.png" in result.stderr and "changed since" in result.stderr
    assert "hinton_wordcloud.png" in result.stdout  # named among the removed


def test_a_workspace_without_a_manifest_loses_nothing(workspace):
    report(workspace, "--author", "lecun")
    (workspace / "data" / "processed" / "report_manifest.json").unlink()  # as a report before manifests left it
    report(workspace, "--no-clouds")
    assert (workspace / "reports" / "lecun_wordcloud.png").is_file()


def test_a_manifest_naming_files_outside_the_report_folders_removes_none_of_them(workspace, tmp_path):
    report(workspace, "--author", "lecun", "--no-clouds")
    outside = tmp_path / "outside.txt"
    targets = {
        "../outside.txt": outside,
        str(outside): outside,
        "reports/../../outside.txt": outside,
        "data/raw/scholar/lecun.jsonl": workspace / "data" / "raw" / "scholar" / "lecun.jsonl",
        "authors.toml": workspace / "authors.toml",
        "reports": workspace / "reports",
        "data/processed": workspace / "data" / "processed",
    }
    for target in targets.values():
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("keep me\n", encoding="utf-8")
    data = manifest(workspace)
    for name, target in targets.items():  # each listed with the right digest, as if the report had written it
        data["files"][name] = hashlib.sha256(target.read_bytes()).hexdigest() if target.is_file() else "0" * 64
    (workspace / "data" / "processed" / "report_manifest.json").write_text(json.dumps(data), encoding="utf-8")
    report(workspace, "--author", "lecun", "--no-clouds")
    assert all(target.exists() for target in targets.values())
    assert set(manifest(workspace)["files"]) == listing(workspace) - NOT_LISTED - {
        "authors.toml",
        "data/raw/scholar/lecun.jsonl",
    }


def test_a_damaged_manifest_removes_nothing_and_is_rewritten(workspace):
    report(workspace, "--author", "lecun")
    (workspace / "data" / "processed" / "report_manifest.json").write_text("{not json", encoding="utf-8")
    report(workspace, "--author", "lecun", "--no-clouds")
    assert (workspace / "reports" / "lecun_wordcloud.png").is_file()
    assert "reports/index.html" in manifest(workspace)["files"]
