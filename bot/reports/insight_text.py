"""The council-wide insight as Markdown, and the words both the Markdown and the HTML page use for it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.reports.times import local
from facilitation.insight_figures import Insight

NOT_AVAILABLE = "not available yet (casework replies are not recorded)"


def period_words(found: Insight) -> str:
    first = found.first_day.isoformat() if found.first_day else "the first record"
    last = found.last_day.isoformat() if found.last_day else "today"
    where = f"in {found.community}" if found.community else "in every community"
    return f"From {first} to {last}, {where}"


def wait_words(found: Insight) -> str:
    return "no question taken" if found.median_wait_minutes is None else f"{found.median_wait_minutes} minutes"


def casework_words(found: Insight) -> str:
    if found.casework is None:
        return NOT_AVAILABLE
    return f"{found.casework.replied_on_time} of {found.casework.due} due"


def appeals_words(found: Insight) -> str:
    return "not recorded per community" if found.appeals is None else str(found.appeals)


def headline_rows(found: Insight) -> list[tuple[str, str]]:
    return [
        ("Surgeries held", str(found.surgeries)),
        ("People taking part (asking or voting)", str(found.participants)),
        ("Questions asked", str(found.asked)),
        ("Questions answered", str(found.answered)),
        ("Questions referred to casework", str(found.referred)),
        ("Median time from asking to being taken", wait_words(found)),
        ("Casework replied on time", casework_words(found)),
        ("Appeals made", appeals_words(found)),
    ]


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(cell(v) for v in row) + " |" for row in rows), ""]


def insight_markdown(found: Insight, *, zone: ZoneInfo, council: str, generated_at: datetime) -> str:
    lines = [f"# Surgeries across the council — {council}", "", f"{period_words(found)}. Times are {zone.key} time.",
             "", *_table(["figure", "value"], [list(r) for r in headline_rows(found)])]
    lines += ["## Surgeries held per month", "", *_table(["month", "surgeries"],
                                                         [list(r) for r in found.surgeries_per_month])]
    lines += ["## Surgeries held per community", "", *_table(["community", "surgeries"],
                                                             [list(r) for r in found.surgeries_per_community])]
    lines += ["## Moderation cases per rule", "",
              *_table(["rule", "cases", "dry run", "reversed", "appeals upheld"],
                      [[r.rule, r.cases, r.dry_run, r.reversed, r.appeals_upheld] for r in found.cases])]
    lines += ["## Communities joined and left", "",
              *_table(["month", "joined", "left"], [list(r) for r in found.joined_left_per_month]),
              *_table(["when", "change", "community"],
                      [[local(c.at, zone), c.change, c.community] for c in found.community_changes])]
    lines += ["## Listening: theme counts per week", ""]
    if found.themes_per_week:
        lines += [f"Communities that opted in: {', '.join(found.listening_communities)}.", "",
                  *_table(["week", *found.themes], [[week, *counts] for week, counts in found.themes_per_week])]
    else:
        lines += ["No community counted themes in this period.", ""]
    lines += [f"_Generated {local(generated_at, zone)}_", ""]
    return "\n".join(lines)
