"""The operator's privacy commands: `surgerybot subject export|erase` for requests that reach the council by
e-mail, `surgerybot retention run` and `surgerybot listening report`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.base import JsonOption, app, fail, operator_job, out, print_rows, write_output
from bot.errors import UserInputError
from bot.operator import PLATFORMS, Operator
from bot.retention import RetentionService
from bot.storage import communities, listening
from bot.subjects import SubjectService

subject_app = typer.Typer(help="Subject-access and erasure requests (UK GDPR) made to the council directly.",
                          no_args_is_help=True)
retention_app = typer.Typer(help="Delete what is past its retention period.", no_args_is_help=True)
listening_app = typer.Typer(help="Opt-in listening: daily theme counts per community (no text, no authors).",
                            no_args_is_help=True)
app.add_typer(subject_app, name="subject")
app.add_typer(retention_app, name="retention")
app.add_typer(listening_app, name="listening")

PlatformOption = Annotated[str, typer.Option(help="telegram, discord (or local for the demo).")]
UserIdOption = Annotated[str, typer.Option(help="The person's platform user id (numeric id or snowflake).")]


def _subject(platform: str, user_id: str) -> tuple[str, str]:
    platform, user_id = platform.strip().lower(), user_id.strip()
    if platform not in PLATFORMS:
        fail(f"Unknown platform {platform!r}: use telegram or discord.")
    if not user_id:
        fail("Give the person's platform user id with --user-id.")
    return platform, user_id


def _service(op: Operator) -> SubjectService:
    return SubjectService(op.db, op.settings, op.clock)


# -- subject requests ------------------------------------------------------------------------------------------

@subject_app.command("export")
def subject_export(
    platform: PlatformOption,
    user_id: UserIdOption,
    output: Annotated[Path | None, typer.Option(help="Write the JSON document to this file.")] = None,
) -> None:
    """Everything stored about one person, as JSON (the same document /mydata sends them)."""
    platform, user_id = _subject(platform, user_id)
    document = operator_job(lambda op: _service(op).export(platform, user_id))
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text)
    held = "" if SubjectService.holds_anything(document) else " (nothing is held about this person)"
    out.print(f"Export for {platform} user {user_id} written to {output}{held}", highlight=False)


@subject_app.command("erase")
def subject_erase(
    platform: PlatformOption,
    user_id: UserIdOption,
    yes: Annotated[bool, typer.Option("--yes", help="Don't ask for confirmation.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Erase or anonymise everything stored about one person (the same as /forgetme)."""
    platform, user_id = _subject(platform, user_id)
    document = operator_job(lambda op: _service(op).export(platform, user_id))
    if not SubjectService.holds_anything(document):
        if as_json:
            out.print_json(json.dumps({"erased": False, "counts": {}}))
        else:
            out.print(f"Nothing is held about {platform} user {user_id}; nothing to erase.", highlight=False)
        return
    if not yes:
        typer.confirm(f"Erase everything held about {platform} user {user_id}? This can't be undone", abort=True)
    erasure = operator_job(lambda op: _service(op).erase(platform, user_id, requested_by="operator",
                                                         repaint_later=True))
    counts = erasure.counts.as_dict()
    review = [{"community_id": community_id, "case": number} for community_id, number in erasure.reasons_to_review]
    if as_json:
        out.print_json(json.dumps({"erased": True, "counts": counts, "case_reasons_to_review": review}))
        return
    print_rows([{"what": k.replace("_", " "), "count": v} for k, v in counts.items() if v], ["what", "count"],
               False, "Erased")
    if erasure.questions:
        out.print("Question messages already posted in groups are edited by the running bot.")
    if review:
        # Facilitators' free text may name the person; it is theirs to clear (/redact <case> in the group).
        listed = ", ".join(f"#{r['case']} (community {r['community_id']})" for r in review)
        out.print(f"Case reasons typed by facilitators may still name them: {listed}. Ask the facilitators to "
                  "review them and clear any with /redact <case> in the group.", highlight=False)


# -- retention -------------------------------------------------------------------------------------------------

@retention_app.command("run")
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would go, delete nothing.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Delete everything past its retention period now (the bot also does this daily)."""

    async def job(op: Operator) -> dict[str, Any]:
        service = RetentionService(op.db, op.settings, op.clock)
        cut = service.cutoffs()
        counts = await service.run(dry_run=dry_run)
        return {"dry_run": dry_run, "cutoffs": cut.as_dict(), "removed": {c.value: n for c, n in counts.items()}}

    result = operator_job(job)
    if as_json:
        out.print_json(json.dumps(result))
        return
    verb = "Would remove" if dry_run else "Removed"
    rows = [{"category": k.replace("_", " "), "count": v} for k, v in result["removed"].items()]
    print_rows(rows, ["category", "count"], False, f"{verb} (retention)")
    if not any(result["removed"].values()):
        out.print("Nothing is past its retention period.")


# -- listening -------------------------------------------------------------------------------------------------

@listening_app.command("report")
def listening_report(
    community: Annotated[str | None, typer.Option(help="Only this community (name or id).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Daily theme counts per community, and where listening is on. No text or authors are ever stored."""

    async def job(op: Operator) -> dict[str, Any]:
        async with op.db.unit_of_work() as tx:
            known = await communities.list_communities(tx)
            chosen = [c for c in known if community is None or community in (str(c.id), c.name)]
            if community is not None and not chosen:
                raise UserInputError(f"No community called {community!r}. See `surgerybot communities list`.")
            names = {c.id: c.name for c in chosen}
            status = [{"id": c.id, "name": c.name, "platform": c.platform,
                       "listening": await listening.is_enabled(tx, c.id)} for c in chosen]
            rows = [r for cid in names for r in await listening.counts(tx, cid)]
        return {"communities": status,
                "counts": [{"community_id": cid, "community": names[cid], "day": day, "theme": theme, "count": n}
                           for cid, day, theme, n in rows]}

    result = operator_job(job)
    if as_json:
        out.print_json(json.dumps(result))
        return
    on = [c["name"] for c in result["communities"] if c["listening"]]
    out.print(f"Listening is on in: {', '.join(on) if on else 'no community'}", highlight=False)
    print_rows(result["counts"], ["community", "day", "theme", "count"], False, "Theme counts")
