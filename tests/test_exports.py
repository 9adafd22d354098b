"""`surgerybot export casework|cases|sessions` after a real surgery on the local adapter, as a real process."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import timedelta

from tests.scenario import Scenario
from tests.surgery.helpers import surgery_ready
from tests.telegram.test_check import run_cli


async def test_exports_after_a_surgery(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await surgery_ready(s, "today 18:30 1h Bins")
        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/next")
        await s.say(s.jane, s.riverside, "/refer needs a site visit")
        await s.say(s.jane, s.riverside, "/surgery close")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURGERYBOT_")}
    env["SURGERYBOT_DATABASE_URL"] = s.database_url

    code, output = await run_cli("export", "casework", "--json", env=env)
    assert code == 0, output
    [referral] = json.loads(output)
    assert referral["reference"] == "SRG-2026-000001" and referral["question"] == "When are the bins collected?"
    assert (referral["platform"], referral["user_id"]) == ("local", s.mo.id)
    assert referral["note"] == "needs a site visit" and referral["reply_due"].startswith("2026-12-09")

    code, output = await run_cli("export", "sessions", "--format", "csv", env=env)
    assert code == 0, output
    [row] = list(csv.DictReader(io.StringIO(output)))
    assert (row["state"], row["host"], row["questions"], row["communities"]) == (
        "closed", "Cllr Jane Smith", "1", "Riverside Residents")

    target = tmp_path / "cases.csv"
    code, output = await run_cli("export", "cases", "--output", str(target), env=env)
    assert code == 0 and target.exists(), output

    code, output = await run_cli("export", "everything", env=env)
    assert code != 0 and "casework" in output
