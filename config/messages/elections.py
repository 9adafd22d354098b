"""Pre-election periods: councillor surgeries pause, in plain and neutral words (no party, no person blamed)."""

from __future__ import annotations

EN: dict[str, str] = {
    "election_refused_schedule": (
        "Councillor surgeries pause during the pre-election period ({name}), which ends on {end}. "
        "Please pick a time after that."
    ),
    "election_refused_open": (
        "This surgery can't open: councillor surgeries pause during the pre-election period ({name}), "
        "which ends on {end}."
    ),
    "election_cancelled_group": (
        "The surgery planned for {when} won't take place: councillor surgeries pause during the pre-election "
        "period, which ends on {end}. Questions asked for it are kept."
    ),
    "election_cancelled_councillor": (
        "Your surgery planned for {when} in {community} was cancelled automatically: councillor surgeries pause "
        "during the pre-election period ({name}), which ends on {end}."
    ),
    "election_status_line": "Pre-election period ({name}) until {end}: councillor surgeries pause here.",
}
