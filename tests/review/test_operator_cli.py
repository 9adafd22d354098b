"""The operator's CLI with bad arguments: one plain sentence and a non-zero exit, never a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.scenario import point_cli_at

runner = CliRunner()
HUGE = "99999999999999999999"  # longer than the database's 64-bit integers


@pytest.fixture
def env(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    point_cli_at(monkeypatch, tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    return monkeypatch


@pytest.mark.parametrize("command", [
    ["invite", "revoke", HUGE],
    ["councillor", "remove", HUGE],
    ["communities", "show", HUGE],
    ["sessions", "show", HUGE, "--json"],
    ["report", HUGE],
    ["facilitator", "list", "--community", HUGE, "--json"],
])
def test_an_id_too_large_for_the_database_is_one_plain_sentence(env, command) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "too large to be an id; the list commands show the ids in use." in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [
    ["export", "sessions", "--output"],
    ["subject", "export", "--platform", "telegram", "--user-id", "42", "--output"],
])
def test_an_output_file_that_cannot_be_written_is_one_plain_sentence(env, tmp_path, command) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "no-such-folder" / "out.json"
    result = runner.invoke(app, [*command, str(target)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Couldn't write {target}: " in result.output  # whole, not broken across lines


@pytest.mark.parametrize("command", [
    ["invite", "create", "--community", "x" * 201, "--platform", "telegram", "--json"],
    ["councillor", "add", "--name", "x" * 201, "--ward", "Riverside", "--json"],
    ["councillor", "add", "--name", "Cllr Jane Smith", "--ward", "x" * 201, "--json"],
])
def test_a_name_too_long_to_store_is_refused_before_the_database(env, command) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    assert "is too long: keep it to 200 characters." in result.output
