"""The HTML reports open in a real browser (headless Chromium, over the DevTools protocol): every chart is drawn —
a screenshot of its region has the size the page laid out and is not blank — the console stays free of errors,
and on a phone-sized screen nothing is wider than the screen."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from bot.cli import app
from tests.reports.chromium import chromium_page, file_url, find_chromium
from tests.reports.surgery_db import SurgeryDb
from tests.scenario import point_cli_at

runner = CliRunner()
CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH: install Debian's `chromium` package "
                                                          "(.ci/run does) to run the browser test")

CHARTS = """Array.from(document.querySelectorAll('figure[data-chart] svg')).map(svg => {
  const box = svg.getBoundingClientRect();
  const view = svg.viewBox.baseVal;
  return {x: box.left + window.scrollX, y: box.top + window.scrollY, width: box.width, height: box.height,
          ratio: view.width / view.height};
})"""


@pytest.fixture
def pages(surgery_db: SurgeryDb, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    point_cli_at(monkeypatch, surgery_db.directory, surgery_db.database_url)
    written = []
    for name, args in (("session-1.html", ["report", "1", "--format", "html"]), ("insight.html", ["insight"])):
        target = surgery_db.directory / "browser" / name
        target.parent.mkdir(exist_ok=True)
        result = runner.invoke(app, [*args, "--output", str(target)])
        assert result.exit_code == 0, result.output
        written.append(target)
    return written


def _drawn(png: bytes, width: float, height: float) -> tuple[tuple[int, int], float, int]:
    """(size, share of pixels that are not near-white, how many of them are in the charts' first colour)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    inked = sum(n for n, colour in colours if min(colour) < 235)
    # #0072B2, the first series' colour, give or take anti-aliasing.
    blue = sum(n for n, (r, g, b) in colours if b > 150 and r < 60 and 80 < g < 150)
    return image.size, inked / (image.width * image.height), blue


@pytest.mark.timeout(300)
async def test_each_chart_renders_and_the_console_is_clean(pages: list[Path], tmp_path: Path) -> None:
    assert CHROMIUM is not None
    async with chromium_page(CHROMIUM) as page:
        # The console check can fail: an error logged on purpose is seen.
        await page.evaluate("console.error('probe from the test')")
        assert any("probe from the test" in e for e in page.errors)
        page.errors.clear()

        for path in pages:
            await page.viewport(1024, 800)
            await page.open(file_url(path))
            charts = await page.evaluate(CHARTS)
            expected = path.read_text(encoding="utf-8").count("<figure data-chart=")
            assert len(charts) == expected >= 5, path.name
            for number, chart in enumerate(charts, 1):
                assert chart["width"] > 200 and chart["height"] > 80, (path.name, number, chart)
                # Laid out at the shape matplotlib drew (the viewBox), neither squashed nor stretched.
                assert abs(chart["width"] / chart["height"] - chart["ratio"]) < 0.05, (path.name, number, chart)
                png = await page.screenshot(chart["x"], chart["y"], chart["width"], chart["height"])
                (tmp_path / f"{path.stem}-chart-{number}.png").write_bytes(png)
                size, inked, blue = _drawn(png, chart["width"], chart["height"])
                assert abs(size[0] - round(chart["width"])) <= 1 and abs(size[1] - round(chart["height"])) <= 1
                assert inked > 0.01 and blue > 50, (path.name, number, inked, blue)

            # A phone: nothing wider than the screen (wide tables scroll inside their own box).
            await page.viewport(390, 844, mobile=True)
            await page.open(file_url(path))
            widths = await page.evaluate(
                "[document.documentElement.scrollWidth, ...Array.from(document.querySelectorAll('figure svg'))"
                ".map(svg => svg.getBoundingClientRect().right)]")
            assert widths[0] <= 390 and all(right <= 390 for right in widths[1:]), (path.name, widths)
        assert page.errors == []


@pytest.mark.timeout(300)
async def test_a_blank_chart_would_be_caught(tmp_path: Path) -> None:
    """The pixel check bites: an empty SVG of the same shape screenshots as blank."""
    assert CHROMIUM is not None
    blank = tmp_path / "blank.html"
    blank.write_text('<!DOCTYPE html><html><body><figure data-chart="1"><svg viewBox="0 0 460 230" '
                     'style="width:460px;height:230px"></svg></figure></body></html>', encoding="utf-8")
    async with chromium_page(CHROMIUM) as page:
        await page.open(file_url(blank))
        chart, = await page.evaluate(CHARTS)
        size, inked, blue = _drawn(await page.screenshot(chart["x"], chart["y"], chart["width"], chart["height"]),
                                   chart["width"], chart["height"])
        assert size == (460, 230) and inked == 0 and blue == 0
        await page.evaluate("setTimeout(() => { throw new Error('boom') }, 0)")
        await page.evaluate("new Promise(r => setTimeout(r, 50))")
        assert any("Uncaught" in e and "boom" in e for e in page.errors)
