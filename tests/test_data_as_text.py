"""Text from data is drawn as text (issue 12, case 12): "$\\foo$" in an author's name, a topic's name, a label's
topic or an evaluated topic neither stops `report` / `evaluate --out` in matplotlib's maths parser nor, as
"$x^2$", turns into a formula."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from conftest import files_under
from typer.testing import CliRunner

from authorstats.cli import app

runner = CliRunner()
FOO, SQUARE = r"$\foo$ SSL", "$x^2$"
ROSTER = '[[author]]\nkey = "lecun"\nname = \'$\\foo$ LeCun\'\nscholar = "WLN3QrAAAAAJ"\n'


def taxonomy_file(tmp_path: Path) -> Path:
    """The bundled taxonomy with two topics renamed: Self-Supervised -> FOO, Contrastive -> SQUARE."""
    text = resources.files("authorstats.data").joinpath("taxonomy.toml").read_text(encoding="utf-8")
    text = text.split("\n# Groupings:")[0]  # its groupings name the topics as they were
    for old, new in (("Self-Supervised", FOO), ("Contrastive", SQUARE)):
        assert f'name = "{old}"' in text
        text = text.replace(f'name = "{old}"', f"name = '{new}'")
    path = tmp_path / "taxonomy.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_report_draws_dollar_names_from_data_as_plain_text(workspace, tmp_path):
    roster = tmp_path / "roster.toml"
    roster.write_text(ROSTER, encoding="utf-8")
    taxonomy = taxonomy_file(tmp_path)
    (workspace / "data").mkdir()
    labels = "title,source_id,topic\nCompact and Optimal Deep Learning with Recurrent Parameter Generators,,$x^2$\n"
    (workspace / "data" / "labels.csv").write_text(labels, encoding="utf-8")

    result = runner.invoke(
        app,
        [
            "report",
            "-w",
            str(workspace),
            "--roster",
            str(roster),
            "--taxonomy",
            str(taxonomy),
            "--no-clouds",
            "--dpi",
            "50",
            "--format",
            "svg",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "Internal error" not in result.output
    files = files_under(workspace)
    assert files["data/labels.csv"] == labels.encode("utf-8")  # the user's file is left as it was
    svgs = {name: data.decode("utf-8") for name, data in files.items() if name.endswith(".svg")}
    assert set(svgs) == {
        "reports/lecun_topics.svg",
        "reports/lecun_by_year.svg",
        "reports/topic_heatmap.svg",
        "reports/topic_shares.svg",
        "reports/coauthor_network.svg",
        "reports/topic_trends.svg",
        "reports/lecun_table.svg",
    }
    # Maths would be set in italics (DejaVu Sans Oblique glyphs): every glyph here is upright text.
    assert not [name for name, svg in svgs.items() if "Oblique" in svg]
    assert SQUARE in svgs["reports/lecun_topics.svg"] and FOO in svgs["reports/lecun_topics.svg"]
    assert SQUARE in svgs["reports/lecun_table.svg"] and FOO in svgs["reports/lecun_table.svg"]
    assert r"$\foo$ LeCun" in svgs["reports/topic_heatmap.svg"]
    assert r"$\foo$ LeCun" in svgs["reports/coauthor_network.svg"]
    assert SQUARE in svgs["reports/topic_trends.svg"] and FOO in svgs["reports/topic_trends.svg"]


def test_evaluate_out_draws_a_dollar_topic_as_plain_text(tmp_path):
    taxonomy = taxonomy_file(tmp_path)
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "title,topic\nBarlow Twins: Self-Supervised Learning via Redundancy Reduction,$x^2$\n"
        "VICReg: variance-invariance-covariance regularization for self-supervised learning,"
        "$\\foo$ SSL\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"

    result = runner.invoke(app, ["evaluate", str(labels), "--taxonomy", str(taxonomy), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert (out / "confusion.png").read_bytes().startswith(b"\x89PNG")
    assert FOO in result.stdout and SQUARE in result.stdout
