"""index.html in a real browser: headless Chromium (Debian's chromium + chromium-driver) driven by selenium."""

from __future__ import annotations

import json

import pytest
from browser import chromium, needs_chromium
from typer.testing import CliRunner

from authorstats.cli import app

pytestmark = [needs_chromium, pytest.mark.slow]

HOSTILE = "<script>alert(1)</script>"
HOSTILE_NAME = '<b onmouseover="alert(3)">Eve</b>'


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A report of a small fixture workspace (one hostile title), built through the CLI."""
    ws = tmp_path_factory.mktemp("ws")
    raw = ws / "data" / "raw" / "import"
    raw.mkdir(parents=True)
    records = {
        "lecun": [
            HOSTILE,
            "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning",
            "Understanding Dimensional Collapse in Contrastive Self-supervised Learning",
        ],
        "hinton": ["The Forward-Forward Algorithm", "How to represent part-whole hierarchies in a neural network"],
    }
    names = {"lecun": "Yann LeCun", "hinton": "Geoffrey Hinton"}
    for author, titles in records.items():
        # a hostile co-author and citation counts: the co-author, venue and citation sections show them too
        lines = [
            json.dumps(
                {
                    "author": author,
                    "title": t,
                    "year": 2022,
                    "source": "import",
                    "venue": '<img src=x onerror="alert(2)">',
                    "citations": 3 + i,
                    "authors": [names[author], HOSTILE_NAME],
                }
            )
            for i, t in enumerate(titles)
        ]
        (raw / f"{author}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["report", "-w", str(ws), "-a", "lecun", "-a", "hinton", "--cloud-size", "400x200", "--dpi", "60"]
    )
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
    images = loaded.execute_script("return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth]);")
    # per author: bars, topics by year, word cloud; then the heatmap, the shares chart, the co-author network,
    # the topic trends and the citations per topic, the specialisation chart (LeCun's Self-Supervised); then the
    # charts beside the seminar's tables (LeCun and Hinton: Bengio's is a total only)
    assert len(images) == 12 + 2
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
        _ = loaded.switch_to.alert.text  # reading an alert raises when none is open


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory):
    """The report of the bundled snapshot: three authors, 18 topics, the widest heatmap of the defaults."""
    ws = tmp_path_factory.mktemp("bundled")
    result = CliRunner().invoke(app, ["report", "-w", str(ws), "--cloud-size", "400x200", "--dpi", "60"])
    assert result.exit_code == 0, result.output
    return ws / "reports" / "index.html"


def at_width(driver, page, width):
    """``page`` loaded in a viewport ``width`` CSS pixels wide, as a phone (mobile: the viewport meta applies)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get(page.resolve().as_uri())
    driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true);")
    return driver


# Every element that shows text of its own, with its computed font size and where it ends on the page.
TEXT_SIZES = """
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  if (own) out.push([el.tagName, parseFloat(getComputedStyle(el).fontSize), el.textContent.trim().slice(0, 40)]);
}
return out;
"""
# Elements that reach past the viewport, and are not inside a box that scrolls sideways.
OVERFLOWING = """
const width = document.documentElement.clientWidth, out = [];
for (const el of document.body.querySelectorAll('*')) {
  let boxed = false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) { boxed = true; break; }
  }
  const r = el.getBoundingClientRect();
  if (!boxed && r.width && r.right > width + 0.5) out.push([el.tagName, el.className, Math.round(r.right)]);
}
return out;
"""


@pytest.mark.parametrize("width", [400, 1400])
def test_the_page_never_scrolls_sideways_and_text_stays_readable(driver, bundled_page, width):
    loaded = at_width(driver, bundled_page, width)
    try:
        viewport = loaded.execute_script("return document.documentElement.clientWidth;")  # less a scroll bar
        assert width - 20 <= viewport <= width
        assert loaded.execute_script("return document.documentElement.scrollWidth;") <= viewport
        assert loaded.execute_script(OVERFLOWING) == []
        small = [t for t in loaded.execute_script(TEXT_SIZES) if t[1] < 12]
        assert small == []
    finally:
        loaded.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_at_1400_px_the_heatmap_is_whole_without_scrolling(driver, bundled_page):
    """It used to be cut at "Language & M... / Oth" inside its scroll box: now it fits the page's column."""
    loaded = at_width(driver, bundled_page, 1400)
    try:
        img, box, overflow = loaded.execute_script("""
          const img = document.querySelector('#overview .wide img'), box = img.closest('.wide');
          return [img.getBoundingClientRect().toJSON(), box.getBoundingClientRect().toJSON(),
                  box.scrollWidth - box.clientWidth];""")
        assert overflow <= 0.5  # nothing hidden to the right
        assert box["left"] <= img["left"] and img["right"] <= box["right"] + 0.5
        assert img["width"] >= 900  # still large: scaled to the column, not shrunk to a thumbnail
    finally:
        loaded.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_at_phone_width_tables_and_the_heatmap_scroll_in_their_own_box(driver, bundled_page):
    loaded = at_width(driver, bundled_page, 400)
    try:
        boxes = loaded.execute_script("""
          return Array.from(document.querySelectorAll('table')).map(t => {
            const box = t.parentElement, style = getComputedStyle(box);
            return [box.className, style.overflowX, box.getBoundingClientRect().right];
          });""")
        assert boxes and all(cls == "scroll" and overflow == "auto" and right <= 400 for cls, overflow, right in boxes)
        # the overview table's last column is reachable by scrolling its box, not cut off
        assert loaded.execute_script("""
          const t = document.querySelector('#overview table'); const box = t.parentElement;
          return t.getBoundingClientRect().width <= box.scrollWidth + 0.5;""")
        heatmap = loaded.execute_script("""
          const img = document.querySelector('#overview .wide img');
          return [img.getBoundingClientRect().width, img.parentElement.parentElement.getBoundingClientRect().right];""")
        assert heatmap[0] >= 640 and heatmap[1] <= 400  # legible size, in a 400 px box that scrolls
        images = loaded.execute_script("""
          return Array.from(document.images).filter(i => !i.closest('.wide'))
                 .map(i => i.getBoundingClientRect().right);""")
        assert images and max(images) <= 400  # the other pictures scale down with the page
    finally:
        loaded.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
