"""One surgery's report as a page a councillor can be handed: its facts in local time, questions by outcome, votes
per question, the timeline of questions asked and taken, participation per community, moderation cases by rule
and outcome, and the follow-ups accepted after close. No asker is named anywhere; a private question is only ever
"(private question)"."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.reports import charts
from bot.reports.page import Column, Page
from bot.reports.times import local, local_date, local_time
from facilitation.session_figures import SessionFacts, SessionFigures, figures


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _outcomes(page: Page, fig: SessionFigures) -> None:
    page.heading("Questions by outcome")
    if not fig.questions:
        page.paragraph("No questions were asked.", "empty")
        return
    words = ", ".join(f"{n} {name}" for name, n in fig.outcomes if n)
    page.chart_with_table(
        svg=charts.bars("outcomes", [name for name, _ in fig.outcomes], [("questions", [n for _, n in fig.outcomes])],
                        horizontal=True, value_label="questions"),
        alt=f"Bar chart of the {_plural(fig.asked, 'question')} asked by outcome: {words}.",
        caption="Questions by outcome", columns=[Column("outcome"), Column("questions", True)],
        rows=[*fig.outcomes, ("all questions", fig.asked)])


def _votes(page: Page, fig: SessionFigures) -> None:
    page.heading("Votes per question")
    if not fig.questions:
        page.paragraph("No questions were asked.", "empty")
        return
    top = max(fig.questions, key=lambda q: (q.votes, -q.number))
    page.chart_with_table(
        svg=charts.bars("votes", [f"#{q.number}" for q in fig.questions], [("votes", [q.votes for q in fig.questions])],
                        horizontal=True, value_label="votes"),
        alt=f"Bar chart of votes for each of the {_plural(fig.asked, 'question')}; the most voted is "
            f"#{top.number} with {_plural(top.votes, 'vote')}.",
        caption="Every question, its outcome and votes",
        columns=[Column("#", True), Column("question"), Column("from"), Column("outcome"), Column("votes", True)],
        rows=[(q.number, q.label, q.community or "—",
               q.outcome + (f" ({q.reference})" if q.reference else ""), q.votes) for q in fig.questions])


def _timeline(page: Page, fig: SessionFigures, zone: ZoneInfo) -> None:
    page.heading("Timeline: questions asked and taken")
    if not fig.timeline:
        page.paragraph("Nothing happened to chart.", "empty")
        return
    labels = ["before" if b.start is None else local_time(b.start, zone) for b in fig.timeline]
    asked, taken = [b.asked for b in fig.timeline], [b.taken for b in fig.timeline]
    busiest = max(fig.timeline, key=lambda b: b.asked)
    when = "before it opened" if busiest.start is None else f"from {local_time(busiest.start, zone)}"
    page.chart_with_table(
        svg=charts.bars("timeline", labels, [("asked", asked), ("taken", taken)], value_label="questions"),
        alt=f"Bar chart of questions asked and taken per {fig.bin_minutes} minutes: {sum(asked)} asked, "
            f"{sum(taken)} taken; most were asked {when} ({busiest.asked}).",
        caption=f"Questions per {fig.bin_minutes} minutes ({zone.key} time)",
        columns=[Column("from"), Column("asked", True), Column("taken", True)],
        rows=[(label, b.asked, b.taken) for label, b in zip(labels, fig.timeline, strict=True)])


def _communities(page: Page, fig: SessionFigures) -> None:
    page.heading("Participation per community")
    if not fig.communities:
        page.paragraph("No community took part.", "empty")
        return
    names = [c.community for c in fig.communities]
    parts = "; ".join(f"{c.community}: {_plural(c.questions, 'question')} from {_plural(c.askers, 'person', 'people')}"
                      for c in fig.communities)
    page.chart_with_table(
        svg=charts.bars("communities", names, [("questions", [c.questions for c in fig.communities]),
                                               ("people asking", [c.askers for c in fig.communities])],
                        horizontal=True),
        alt=f"Bar chart of questions and people asking per community. {parts}.",
        caption=f"Per community ({_plural(fig.participants, 'person', 'people')} took part in all, asking or voting)",
        columns=[Column("community"), Column("questions", True), Column("people asking", True)],
        rows=[(c.community, c.questions, c.askers) for c in fig.communities])


def _cases(page: Page, fig: SessionFigures) -> None:
    page.heading("Moderation cases by rule and outcome")
    if not fig.cases:
        page.paragraph("No moderation cases while it ran.", "empty")
        return
    rules = list(dict.fromkeys(c.rule for c in fig.cases))
    outcomes = [o for o in ("taken", "reversed", "dry run") if any(c.outcome == o for c in fig.cases)]
    series = [(o, [sum(c.count for c in fig.cases if c.rule == r and c.outcome == o) for r in rules]) for o in outcomes]
    total = sum(c.count for c in fig.cases)
    page.chart_with_table(
        svg=charts.bars("cases", rules, series, horizontal=True, stacked=True, value_label="cases"),
        alt=f"Stacked bar chart of {_plural(total, 'moderation case')} by rule, split by outcome: "
            + "; ".join(f"{r}: {sum(c.count for c in fig.cases if c.rule == r)}" for r in rules) + ".",
        caption="Cases by rule, action and outcome",
        columns=[Column("rule"), Column("action"), Column("outcome"), Column("cases", True)],
        rows=[(c.rule, c.action, c.outcome, c.count) for c in fig.cases])


def _after_close(page: Page, facts: SessionFacts, fig: SessionFigures, zone: ZoneInfo) -> None:
    page.heading("Follow-ups accepted after close")
    if facts.closed_at is None:
        page.paragraph("The session has not closed yet.", "empty")
        return
    if fig.changes:
        lines = "; ".join(
            f"#{c.number} was {c.was} in the closing summary and is now {c.now}"
            + (f" ({c.reference}, accepted {local(c.at, zone)})" if c.reference else "") for c in fig.changes)
        page.add(f'<p class="note"><strong>Changed since the closing summary:</strong> {escape(lines)}.</p>')
    if not fig.follow_ups:
        page.paragraph("No follow-up was accepted after close.", "empty")
        return
    page.table("Casework referrals made after close", [Column("#", True), Column("reference"), Column("accepted"),
                                                       Column("reply due")],
               [(f.number, f.reference, local(f.accepted_at, zone), local_date(f.reply_due, zone))
                for f in fig.follow_ups])


def session_html(facts: SessionFacts, *, zone: ZoneInfo, council: str, generated_at: datetime) -> str:
    fig = figures(facts)
    page = Page(title=f"Surgery report — session {facts.id}" + (f": {facts.topic}" if facts.topic else ""),
                lead=f"{council}. Times are {zone.key} time. No resident is named in this report.")
    page.facts([
        ("Topic", facts.topic or "(none)"), ("Host", facts.host),
        ("Communities", ", ".join(facts.communities) or "(none)"), ("State", f"{facts.state} ({facts.mode} mode)"),
        ("Scheduled", f"{local(facts.starts_at, zone)} to {local(facts.ends_at, zone)}"),
        ("Opened", local(facts.opened_at, zone)), ("Closed", local(facts.closed_at, zone)),
        ("Questions", str(fig.asked)), ("People taking part", f"{fig.participants} (asking or voting)"),
    ])
    if facts.carried_to:
        page.paragraph(f"Questions not reached were carried to session {facts.carried_to}.")
    _outcomes(page, fig)
    _votes(page, fig)
    _timeline(page, fig, zone)
    _communities(page, fig)
    _cases(page, fig)
    _after_close(page, facts, fig, zone)
    return page.html(f"Generated {local(generated_at, zone)} by surgerybot.")
