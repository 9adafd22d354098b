"""The council-wide insight as one self-contained page for a committee: headline figures, then each chart with the
sentence that says what it shows and the table of its figures beside it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.reports import charts
from bot.reports.insight_text import headline_rows, period_words
from bot.reports.page import Column, Page
from bot.reports.times import local
from facilitation.insight_figures import Insight

TOP = 15


def _busiest(pairs: tuple[tuple[str, int], ...]) -> str:
    label, n = max(pairs, key=lambda p: p[1])
    return f"the most was {n} in {label}"


def _surgeries(page: Page, found: Insight) -> None:
    page.heading("Surgeries held")
    if not found.surgeries_per_month:
        page.paragraph("No surgery was held in this period.", "empty")
        return
    months = found.surgeries_per_month
    page.chart_with_table(
        svg=charts.bars("months", [m for m, _ in months], [("surgeries", [n for _, n in months])],
                        value_label="surgeries"),
        alt=f"Bar chart of surgeries held per month, {months[0][0]} to {months[-1][0]}: {found.surgeries} in all; "
            f"{_busiest(months)}.",
        caption="Surgeries per month", columns=[Column("month"), Column("surgeries", True)], rows=months)
    places = found.surgeries_per_community
    # A hundred bars help nobody: the chart shows the busiest, the table beside it every community.
    shown = places[:TOP]
    page.chart_with_table(
        svg=charts.bars("places", [c for c, _ in shown], [("surgeries", [n for _, n in shown])], horizontal=True,
                        value_label="surgeries"),
        alt=f"Bar chart of surgeries held per community"
            + (f", the {len(shown)} busiest of {len(places)}" if len(shown) < len(places) else
               f" ({len(places)} communities)") + f"; {_busiest(places)}.",
        caption="Surgeries per community (a joint surgery counts for each)",
        columns=[Column("community"), Column("surgeries", True)], rows=places)


def _questions(page: Page, found: Insight) -> None:
    page.heading("Questions")
    rows = [("asked", found.asked), ("answered", found.answered), ("referred to casework", found.referred)]
    page.chart_with_table(
        svg=charts.bars("questions", [r[0] for r in rows], [("questions", [r[1] for r in rows])],
                        value_label="questions"),
        alt=f"Bar chart: {found.asked} questions asked, {found.answered} answered, {found.referred} referred to "
            "casework.",
        caption="Questions", columns=[Column("questions"), Column("count", True)], rows=rows)


def _cases(page: Page, found: Insight) -> None:
    page.heading("Moderation cases per rule")
    if not found.cases:
        page.paragraph("No moderation cases in this period.", "empty")
        return
    rules = [r.rule for r in found.cases]
    series = [("upheld on appeal", [r.appeals_upheld for r in found.cases]),
              ("other reversals", [r.reversed - r.appeals_upheld for r in found.cases]),
              ("dry run", [r.dry_run for r in found.cases]),
              ("stood", [r.cases - r.reversed - r.dry_run for r in found.cases])]
    series = [s for s in series if any(s[1])] or series[-1:]
    total = sum(r.cases for r in found.cases)
    page.chart_with_table(
        svg=charts.bars("rules", rules, series, horizontal=True, stacked=True, value_label="cases"),
        alt=f"Stacked bar chart of {total} moderation cases by rule: "
            + "; ".join(f"{r.rule} {r.cases} ({r.appeals_upheld} upheld on appeal)" for r in found.cases) + ".",
        caption="Cases per rule; an appeal upheld is a case undone by someone other than who took it",
        columns=[Column("rule"), Column("cases", True), Column("dry run", True), Column("reversed", True),
                 Column("appeals upheld", True)],
        rows=[(r.rule, r.cases, r.dry_run, r.reversed, r.appeals_upheld) for r in found.cases])


def _communities(page: Page, found: Insight, zone: ZoneInfo) -> None:
    page.heading("Communities joined and left")
    if not found.joined_left_per_month:
        page.paragraph("No community joined or left in this period.", "empty")
        return
    months = found.joined_left_per_month
    page.chart_with_table(
        svg=charts.bars("joined", [m for m, _, _ in months], [("joined", [j for _, j, _ in months]),
                                                             ("left", [lft for _, _, lft in months])],
                        value_label="communities"),
        alt=f"Bar chart of communities joined and left per month: {sum(j for _, j, _ in months)} joined, "
            f"{sum(lft for _, _, lft in months)} left.",
        caption="Per month", columns=[Column("month"), Column("joined", True), Column("left", True)], rows=months)
    page.table("Every change", [Column("when"), Column("change"), Column("community")],
               [(local(c.at, zone), c.change, c.community) for c in found.community_changes])


def _listening(page: Page, found: Insight) -> None:
    page.heading("Listening: theme counts per week")
    if not found.themes_per_week:
        page.paragraph("No community counted themes in this period (listening is opt-in).", "empty")
        return
    weeks = [w for w, _ in found.themes_per_week]
    series = [(theme, [counts[i] for _, counts in found.themes_per_week]) for i, theme in enumerate(found.themes)]
    totals = "; ".join(f"{theme} {sum(values)}" for theme, values in series)
    page.paragraph(f"Communities that opted in: {', '.join(found.listening_communities)}. Counts only: no text, "
                   "no authors.")
    page.chart_with_table(
        svg=charts.lines("themes", weeks, series, value_label="messages"),
        alt=f"Line chart of messages touching each theme per week, {weeks[0]} to {weeks[-1]}: {totals}.",
        caption="Theme counts per week", columns=[Column("week"), *(Column(t, True) for t in found.themes)],
        rows=[(week, *counts) for week, counts in found.themes_per_week])


def insight_html(found: Insight, *, zone: ZoneInfo, council: str, generated_at: datetime) -> str:
    title = "Surgeries across the council" + (f": {found.community}" if found.community else "")
    page = Page(title=title, lead=f"{council}. {period_words(found)}. Times are {zone.key} time. "
                                  "No resident is named in this report.")
    page.facts(headline_rows(found))
    _surgeries(page, found)
    _questions(page, found)
    _cases(page, found)
    _communities(page, found, zone)
    _listening(page, found)
    return page.html(f"Generated {local(generated_at, zone)} by surgerybot.")
