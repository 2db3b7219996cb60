"""classify on a Dask cluster: a real LocalCluster of 2 workers gives the single-process output row for row, and
classify_frame works per partition with dask.dataframe.map_partitions (docs/scale.md).

The titles are the bundled snapshot's real ones, with the CSV edge cases of test_classify_files.py.
"""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from test_classify_files import TAXONOMY, whole_table_bytes, write_titles
from typer.testing import CliRunner

from authorstats.classification import engine
from authorstats.cli import app
from authorstats.errors import ExitCode
from authorstats.shell import classify_files
from authorstats.shell.csv_files import read_titles_csv

runner = CliRunner()


@pytest.fixture
def titles(tmp_path):
    return write_titles(tmp_path)


@pytest.fixture(scope="module")
def cluster():
    """A real LocalCluster of 2 workers; threads (processes=False), as process workers take tens of seconds
    to start on the shared test machine. The chunks still go through the scheduler, are pickled and run
    on the workers; the scheduler listens on tcp:// (127.0.0.1), the only scheme classify connects to."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://", dashboard_address=None
    ) as local:
        yield local


@pytest.mark.slow
def test_dask_output_is_the_single_process_output(cluster, titles, tmp_path, monkeypatch):
    monkeypatch.setattr(classify_files, "CHUNK_ROWS", 10)
    from authorstats.shell import dask_classify

    monkeypatch.setattr(dask_classify.classify_file, "__defaults__", (10,))
    out = tmp_path / "dask.csv"
    result = runner.invoke(app, ["classify", str(titles), "-o", str(out), "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == whole_table_bytes(titles, tmp_path)
    tasks = cluster.scheduler.task_prefixes if hasattr(cluster.scheduler, "task_prefixes") else {}
    assert "classify_chunk" in tasks  # the chunks were classified on the workers


@pytest.mark.slow
def test_dask_parquet_output_equals_the_single_process_one(cluster, titles, tmp_path):
    from authorstats.shell import dask_classify

    single, spread = tmp_path / "single.parquet", tmp_path / "dask.parquet"
    classify_files.classify_file(titles, single, TAXONOMY, replace=False, workers=1, rows=13)
    dask_classify.classify_file(titles, spread, TAXONOMY, replace=False, scheduler=cluster.scheduler_address, rows=13)
    assert pq.read_table(spread).equals(pq.read_table(single))


@pytest.mark.slow
def test_classify_frame_is_what_map_partitions_needs(cluster, titles):
    """The library use docs/scale.md shows: dask.dataframe.map_partitions(classify_frame, taxonomy)."""
    import dask.dataframe as dd
    from dask.distributed import Client

    frame = read_titles_csv(titles)
    parts = dd.from_pandas(frame, npartitions=3)
    meta = engine.classify_frame(frame.head(0), TAXONOMY)
    with Client(cluster):
        spread = parts.map_partitions(engine.classify_frame, TAXONOMY, meta=meta).compute()
    expected = engine.classify_frame(frame, TAXONOMY)
    # dask keeps text as its own string type: the values, row for row, are what is compared
    assert spread.columns.tolist() == expected.columns.tolist()
    assert spread.reset_index(drop=True).astype(object).values.tolist() == expected.astype(object).values.tolist()


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_line(tmp_path, titles, monkeypatch):
    from authorstats.shell import dask_classify

    monkeypatch.setattr(dask_classify, "CONNECT_SECONDS", 1)
    result = runner.invoke(
        app, ["classify", str(titles), "-o", str(tmp_path / "out.csv"), "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == ExitCode.SOURCE_UNAVAILABLE, result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists()
