"""data/processed/authorstats.db: `report` writes it beside the CSVs; checked here with plain sqlite3."""

from __future__ import annotations

import contextlib
import sqlite3

import pandas as pd
import pytest
from typer.testing import CliRunner

from authorstats.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def bundled(shared_report):
    """The workspace of a report of the bundled snapshot, 2021-2022 (conftest.py), and its database opened read-only."""
    root = shared_report[0]
    path = root / "data" / "processed" / "authorstats.db"
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        yield root, db


def rows(db, sql, *args):
    return db.execute(sql, args).fetchall()


def test_works_has_one_row_per_merged_work(bundled):
    root, db = bundled
    assert dict(rows(db, "select author_key, count(*) from works group by author_key")) == {
        "bengio": 72,
        "lecun": 33,
        "hinton": 15,
    }
    processed = pd.read_csv(root / "data" / "processed" / "publications.csv", keep_default_na=False)
    assert sorted(rows(db, "select author_key, title, topic from works")) == sorted(
        zip(processed["author"], processed["title"], processed["topic"])
    )


def test_topic_counts_equal_the_csv(bundled):
    root, db = bundled
    csv = pd.read_csv(root / "reports" / "topic_counts.csv")
    assert sorted(rows(db, "select author_key, topic, count from topic_counts")) == sorted(
        zip(csv["author"], csv["topic"], csv["count"].astype(int))
    )
    # and they are what the works table says
    assert sorted(rows(db, "select author_key, topic, count(*) from works group by 1, 2")) == sorted(
        rows(db, "select author_key, topic, count from topic_counts")
    )


def test_full_text_search_finds_the_gflownet_titles(bundled):
    _, db = bundled
    found = {
        t
        for (t,) in rows(
            db,
            "select title from works where rowid in (select rowid from works_fts where works_fts match ?)",
            "GFlowNet",
        )
    }
    expected = {t for (t,) in rows(db, "select title from works where lower(title) like '%gflownet%'")}
    assert len(expected) >= 5 and found == expected


def test_columns_have_their_types(bundled):
    _, db = bundled
    assert rows(db, "select distinct typeof(year) from works") == [("integer",)]
    assert rows(db, "select distinct typeof(score), typeof(confidence) from works") == [("real", "real")]
    assert {t for (t,) in rows(db, "select distinct typeof(citations) from works")} <= {"integer", "null"}
    declared = {name: kind for _, name, kind, *_ in rows(db, "pragma table_info(works)")}
    assert declared["year"] == declared["citations"] == declared["id"] == "INTEGER"
    assert declared["title"] == "TEXT" and declared["score"] == "REAL"


def test_foreign_keys_are_declared_and_hold(bundled):
    _, db = bundled
    keys = {
        table: {(row[3], row[2], row[4]) for row in rows(db, f"pragma foreign_key_list({table})")}
        for table in ("works", "versions", "topic_counts")
    }
    assert keys == {
        "works": {("author_key", "authors", "key")},
        "versions": {("work_id", "works", "id"), ("author_key", "authors", "key")},
        "topic_counts": {("author_key", "authors", "key")},
    }
    assert rows(db, "pragma foreign_key_check") == []


def test_versions_hold_each_work_and_the_versions_merged_into_it(bundled):
    root, db = bundled
    assert rows(db, "select count(*) from works") == rows(db, "select count(*) from versions where kept = 1")
    assert rows(
        db, "select count(*) from (select work_id from versions where kept = 1 group by work_id having count(*) != 1)"
    ) == [(0,)]
    duplicates = pd.read_csv(root / "data" / "processed" / "duplicates.csv", keep_default_na=False)
    merged = rows(
        db,
        "select w.author_key, w.title, v.title, v.source, v.reason from versions v "
        "join works w on w.id = v.work_id where v.kept = 0",
    )
    assert len(duplicates) == 9
    assert sorted(merged) == sorted(
        zip(
            duplicates["author"],
            duplicates["kept_title"],
            duplicates["dropped_title"],
            duplicates["dropped_source"],
            duplicates["reason"],
        )
    )


def test_authors_say_where_the_data_came_from(bundled):
    _, db = bundled
    assert rows(db, "select key, sources, works from authors order by key") == [
        ("bengio", "snapshot", 72),
        ("hinton", "snapshot", 15),
        ("lecun", "snapshot", 33),
    ]


@pytest.mark.slow
def test_the_database_is_replaced_whole_by_the_next_report(workspace):
    path = workspace / "data" / "processed" / "authorstats.db"
    for who in ("lecun", "hinton"):
        result = runner.invoke(app, ["report", "-w", str(workspace), "--no-clouds", "--dpi", "50", "-a", who])
        assert result.exit_code == 0, result.output
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert rows(db, "select author_key, count(*) from works group by 1") == [("hinton", 15)]
        assert rows(db, "pragma integrity_check") == [("ok",)]
    assert not list(path.parent.glob(".*.tmp"))


def test_a_full_disk_while_building_the_database_keeps_the_previous_one(workspace, monkeypatch):
    from authorstats.shell import database

    path = workspace / "data" / "processed" / "authorstats.db"
    first = runner.invoke(app, ["report", "-w", str(workspace), "--tables-only", "-a", "lecun"])
    assert first.exit_code == 0, first.output
    before = path.read_bytes()

    def full(tables, built):
        built.write_bytes(b"half a database")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(database, "build_database", full)
    result = runner.invoke(app, ["report", "-w", str(workspace), "--tables-only", "-a", "hinton"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "the disk is full" in result.output
    assert path.read_bytes() == before  # the previous database, whole
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(".")]  # no scratch folder or file left


def test_the_collaborators_table_is_the_reports_co_author_table():
    import dataclasses

    from authorstats.analysis.database import database_tables
    from authorstats.analysis.report import ReportOptions, compute_report
    from authorstats.shell import config_files
    from authorstats.sources import snapshot

    data = compute_report(
        snapshot.read_bundled(),
        roster=config_files.load_roster(),
        taxonomy=config_files.load_taxonomy(),
        years="2021-2022",
        options=ReportOptions(clouds=False),
    )
    tables = database_tables(data)
    names = [t.name for t in tables]
    assert names == ["authors", "works", "versions", "topic_counts", "collaborators", "specialisation"]
    extra = tables[names.index("collaborators")]
    assert len(extra.rows) == len(data.collaboration.table) > 0
    first = data.collaboration.table.iloc[0]
    assert {k: extra.rows[0][k] for k in ("author_key", "coauthor", "papers")} == {
        "author_key": first["author_key"],
        "coauthor": first["coauthor"],
        "papers": int(first["papers"]),
    }
    assert extra.foreign_keys == (("author_key", "authors", "key"),)
    # a report without that analysis has no such table
    assert "collaborators" not in [t.name for t in database_tables(dataclasses.replace(data, collaboration=None))]
    # the snapshot has no per-year counts or FWCI: no impact tables, never empty stand-ins (issue 28)
    assert not {"impact_by_year", "impact_normalised"} & set(names)
    spec = tables[-1]
    assert len(spec.rows) == len(data.specialisation.table) and spec.foreign_keys == (("author_key", "authors", "key"),)
    assert {r["marked"] for r in spec.rows} == {"", "over", "under"}


def test_the_topic_table_query_gives_the_seminar_tables(bundled):
    from authorstats.analysis.database import TOPIC_TABLE_SQL

    root, db = bundled
    for key in ("bengio", "lecun", "hinton"):
        table = pd.read_csv(root / "reports" / f"{key}_topics.csv")
        got = db.execute(TOPIC_TABLE_SQL, {"author": key, "start": "2021", "end": "2022"}).fetchall()
        assert got == list(zip(table["Topic"], table["Count"].astype(int)))
    assert db.execute(TOPIC_TABLE_SQL, {"author": "lecun", "start": 2022, "end": 2022}).fetchall()[0] == (
        "Total",
        db.execute("select count(*) from works where author_key = 'lecun' and year = 2022").fetchone()[0],
    )


@pytest.mark.slow
def test_a_rerun_keeps_the_database_when_its_tables_are_the_same_and_builds_it_when_they_change(tmp_path):
    from authorstats.analysis.database import database_tables
    from authorstats.shell import database, manifest, store
    from authorstats.shell import report as reporting

    save = reporting.SaveOptions(tables_only=True)
    reporting.run_report(tmp_path, save=save)
    path = tmp_path / "data" / "processed" / "authorstats.db"
    first, key = path.stat(), manifest.read_fingerprints(store.Workspace(tmp_path))["data/processed/authorstats.db"]
    # the fingerprint taken while writing is the one a separate pass over the same tables gives
    data = reporting.report_data(store.Workspace(tmp_path), reporting.prepare(reporting.ReportRequest()))
    assert database.database_key(database_tables(data)) == key
    reporting.run_report(tmp_path, save=save)
    again = path.stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)  # kept as it was
    (tmp_path / "data" / "labels.csv").write_text(
        'title,source_id,topic\n"Compact and Optimal Deep Learning with Recurrent Parameter Generators",,Generation\n',
        encoding="utf-8",
    )
    reporting.run_report(tmp_path, save=save)
    with contextlib.closing(sqlite3.connect(path)) as db:
        topic = db.execute(
            "select topic from works where title = ?",
            ("Compact and Optimal Deep Learning with Recurrent Parameter Generators",),
        ).fetchone()
    assert topic == ("Generation",)  # built again with the correction
    with open(path, "r+b") as handle:  # damaged since: built again, though its tables did not change
        handle.seek(100)
        handle.write(b"\0\0\0\0")
    damaged = path.read_bytes()
    reporting.run_report(tmp_path, save=save)
    assert path.read_bytes() != damaged
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
