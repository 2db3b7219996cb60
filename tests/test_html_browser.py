"""index.html in a real browser: headless Chromium (Debian's chromium + chromium-driver) driven by selenium."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from authorstats.cli import app

from browser import chromium, needs_chromium

pytestmark = needs_chromium

HOSTILE = "<script>alert(1)</script>"
HOSTILE_NAME = '<b onmouseover="alert(3)">Eve</b>'


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A report of a small fixture workspace (one hostile title), built through the CLI."""
    ws = tmp_path_factory.mktemp("ws")
    raw = ws / "data" / "raw" / "import"
    raw.mkdir(parents=True)
    records = {
        "lecun": [HOSTILE, "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning",
                  "Understanding Dimensional Collapse in Contrastive Self-supervised Learning"],
        "hinton": ["The Forward-Forward Algorithm", "How to represent part-whole hierarchies in a neural network"],
    }
    names = {"lecun": "Yann LeCun", "hinton": "Geoffrey Hinton"}
    for author, titles in records.items():
        # a hostile co-author and citation counts: the co-author, venue and citation sections show them too
        lines = [json.dumps({"author": author, "title": t, "year": 2022, "source": "import",
                             "venue": '<img src=x onerror="alert(2)">', "citations": 3 + i,
                             "authors": [names[author], HOSTILE_NAME]}) for i, t in enumerate(titles)]
        (raw / f"{author}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "-w", str(ws), "-a", "lecun", "-a", "hinton",
                                      "--cloud-size", "400x200", "--dpi", "60"])
    assert result.exit_code == 0, result.output
    return ws / "reports" / "index.html"


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    browser = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def loaded(driver, page):
    driver.get(page.resolve().as_uri())
    return driver


def test_page_loads_without_console_errors(loaded):
    assert loaded.title == "authorstats report"
    severe = [entry for entry in loaded.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []


def test_every_image_is_decoded(loaded):
    images = loaded.execute_script(
        "return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth]);")
    # per author: bars, topics by year, word cloud; then the heatmap, the shares chart, the co-author network,
    # the topic trends and the citations per topic
    assert len(images) == 11
    assert [alt for alt, complete, width in images if not (complete and width > 0)] == []


def test_hostile_title_shows_as_text_and_nothing_from_data_runs(loaded):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    loaded.execute_script("document.querySelectorAll('details').forEach(d => d.open = true);")
    assert HOSTILE in loaded.find_element(By.TAG_NAME, "body").text
    assert HOSTILE_NAME in loaded.find_element(By.ID, "collaborators").text
    assert loaded.execute_script("return document.querySelectorAll('b[onmouseover]').length;") == 0
    assert loaded.find_elements(By.TAG_NAME, "script") == []
    assert loaded.execute_script("return document.querySelectorAll('img[onerror]').length;") == 0
    with pytest.raises(NoAlertPresentException):
        loaded.switch_to.alert.text
