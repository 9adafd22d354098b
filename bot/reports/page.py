"""The building blocks of a self-contained report page: one HTML file with its CSS inline and its charts as inline
SVG, so it opens offline, on a phone, and prints on A4. Every chart sits beside a table of the same figures and
carries a sentence saying what it shows, for screen readers and for anyone who would rather read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #d0d0d0; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
       background: #fff; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.25rem; line-height: 1.25; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; border-bottom: 2px solid var(--accent); padding-bottom: 0.2rem; }
p.lead { color: var(--muted); margin-top: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 1rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
@media (max-width: 30rem) { dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: 0.4rem; } }
.pair { display: grid; grid-template-columns: 1fr; gap: 1rem; align-items: start; }
@media (min-width: 48rem) { .pair { grid-template-columns: 3fr 2fr; } }
figure { margin: 0; }
figure .chart svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: var(--muted); margin-top: 0.25rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { background: #fff8e1; border-left: 4px solid #E69F00; padding: 0.5rem 0.75rem; margin: 1rem 0; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 0.85rem; margin: 2rem 0 1rem; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .pair { grid-template-columns: 3fr 2fr; }
  section, figure, table { break-inside: avoid; }
  h2 { break-after: avoid; }
  .table-wrap { overflow: visible; }
}
"""


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    numeric: bool = False


@dataclass(slots=True)
class Page:
    title: str
    lead: str
    parts: list[str] = field(default_factory=list)
    charts: int = 0

    def add(self, html: str) -> None:
        self.parts.append(html)

    def heading(self, text: str) -> None:
        self.add(f"<h2>{escape(text)}</h2>")

    def paragraph(self, text: str, css: str = "") -> None:
        self.add(f'<p{f" class={css!r}" if css else ""}>{escape(text)}</p>')

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None:
        rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in pairs)
        self.add(f'<dl class="facts">{rows}</dl>')

    def chart_with_table(self, *, svg: str, alt: str, caption: str, columns: Sequence[Column],
                         rows: Sequence[Sequence[object]]) -> None:
        """A chart, the sentence that says what it shows, and the table of the same figures beside it."""
        self.charts += 1
        chart = (f'<figure data-chart="{self.charts}"><div class="chart" role="img" aria-label="{escape(alt)}">'
                 f"{svg}</div><figcaption>{escape(alt)}</figcaption></figure>")
        self.add(f'<div class="pair">{chart}{table(caption, columns, rows)}</div>')

    def table(self, caption: str, columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> None:
        self.add(table(caption, columns, rows))

    def html(self, footer: str) -> str:
        body = "\n".join(self.parts)
        return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{escape(self.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
                f"<h1>{escape(self.title)}</h1>\n<p class=\"lead\">{escape(self.lead)}</p>\n{body}\n"
                f"<footer>{escape(footer)}</footer>\n</main>\n</body>\n</html>\n")


def table(caption: str, columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f'<th scope="col"{" class=num" if c.numeric else ""}>{escape(c.title)}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if c.numeric else ""}>{escape(str(v))}</td>'
                         for c, v in zip(columns, row, strict=True)) + "</tr>"
        for row in rows)
    return (f'<div class="table-wrap"><table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")
