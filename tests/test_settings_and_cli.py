"""Settings (environment, nesting, secrets, plain-sentence errors) and the CLI as an operator uses it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.errors import ConfigurationError
from config.settings import load_settings
from tests.scenario import point_cli_at

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A clean environment with the database in tmp_path and no .env file in the working directory."""
    point_cli_at(monkeypatch, tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    return monkeypatch


def test_nested_environment_variables(env) -> None:  # type: ignore[no-untyped-def]
    env.setenv("SURGERYBOT_COUNCIL__NAME", "Riverside Borough Council")
    env.setenv("SURGERYBOT_TELEGRAM__TOKEN", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi")
    settings = load_settings()
    assert settings.council.name == "Riverside Borough Council"
    assert settings.configured_platforms == ["telegram"]
    assert "ABCDEFGHIJ" not in repr(settings) and "ABCDEFGHIJ" not in str(settings.model_dump())


def test_dotenv_file_is_read(env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text("SURGERYBOT_COUNCIL__TIMEZONE=Europe/Dublin\n")
    assert load_settings().council.timezone == "Europe/Dublin"


def test_toml_file(env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "surgerybot.toml"
    config.write_text('[council]\nname = "Hilltop Council"\n')
    env.setenv("SURGERYBOT_CONFIG_FILE", str(config))
    assert load_settings().council.name == "Hilltop Council"


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("SURGERYBOT_COUNCIL__TIMEZONE", "Mars/Olympus", "Setting SURGERYBOT_COUNCIL__TIMEZONE is invalid: unknown timezone"),
    ("SURGERYBOT_TELEGRAM__MODE", "pigeon", "Setting SURGERYBOT_TELEGRAM__MODE is invalid"),
    ("SURGERYBOT_DATABASE_URL", "mysql://x", "Setting SURGERYBOT_DATABASE_URL is invalid"),
    ("SURGERYBOT_TELEGRAM__WEBHOOK_PORT", "99999", "Setting SURGERYBOT_TELEGRAM__WEBHOOK_PORT is invalid"),
])
def test_bad_setting_is_one_sentence_naming_the_variable(env, variable, value, expected) -> None:  # type: ignore[no-untyped-def]
    env.setenv(variable, value)
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    assert str(raised.value).startswith(expected)
    assert "\n" not in str(raised.value) and "Traceback" not in str(raised.value)


def test_cli_reports_bad_setting_without_traceback(env) -> None:  # type: ignore[no-untyped-def]
    env.setenv("SURGERYBOT_LOG_LEVEL", "LOUD")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "SURGERYBOT_LOG_LEVEL" in result.output and "Traceback" not in result.output


def test_run_without_tokens_says_what_to_set(env) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["run"])
    assert result.exit_code != 0
    assert "SURGERYBOT_TELEGRAM__TOKEN" in result.output and "SURGERYBOT_DISCORD__TOKEN" in result.output


@pytest.mark.parametrize("command", [[], ["run"], ["demo"], ["check"], ["db"], ["db", "upgrade"], ["invite"],
                                     ["invite", "create"], ["invite", "list"], ["invite", "revoke"], ["councillor"],
                                     ["councillor", "add"], ["facilitator", "add"], ["communities", "show"]])
def test_every_command_explains_itself(command) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output) > 100


def test_invitation_round_trip_in_json(env) -> None:  # type: ignore[no-untyped-def]
    env.setenv("SURGERYBOT_TELEGRAM__BOT_USERNAME", "RiversideSurgeryBot")
    created = runner.invoke(app, ["invite", "create", "--community", "Riverside Residents", "--platform", "telegram",
                                  "--expires", "7d", "--json"])
    assert created.exit_code == 0, created.output
    invitation = json.loads(created.output)
    assert invitation["link"] == f"https://t.me/RiversideSurgeryBot?startgroup={invitation['code']}"
    listed = json.loads(runner.invoke(app, ["invite", "list", "--json"]).output)
    assert [(row["id"], row["state"]) for row in listed] == [(invitation["id"], "open")]
    assert invitation["code"] not in json.dumps(listed)
    assert runner.invoke(app, ["invite", "revoke", str(invitation["id"])]).exit_code == 0
    assert json.loads(runner.invoke(app, ["invite", "list", "--json"]).output)[0]["state"] == "revoked"
    again = runner.invoke(app, ["invite", "revoke", str(invitation["id"])])
    assert again.exit_code == 1 and "already used or revoked" in again.output


def test_discord_invitation_prints_install_url_and_accept_line(env) -> None:  # type: ignore[no-untyped-def]
    env.setenv("SURGERYBOT_DISCORD__APPLICATION_ID", "424242")
    result = runner.invoke(app, ["invite", "create", "--community", "Hilltop", "--platform", "discord", "--json"])
    data = json.loads(result.output)
    assert "client_id=424242" in data["link"] and f"/surgery accept {data['code']}" in data["instructions"]


def test_the_discord_install_url_asks_for_every_permission_the_product_uses(env) -> None:  # type: ignore[no-untyped-def]
    from urllib.parse import parse_qs, urlparse

    import discord

    env.setenv("SURGERYBOT_DISCORD__APPLICATION_ID", "424242")
    data = json.loads(runner.invoke(app, ["invite", "create", "--community", "Hilltop", "--platform", "discord",
                                          "--json"]).output)
    asked = discord.Permissions(int(parse_qs(urlparse(data["link"]).query)["permissions"][0]))
    assert asked.manage_channels  # slow mode
    for flag in ("view_channel", "send_messages", "read_message_history", "attach_files", "manage_messages",
                 "pin_messages", "moderate_members", "kick_members", "ban_members", "view_audit_log"):
        assert getattr(asked, flag), flag
    assert not asked.administrator and not asked.manage_guild and not asked.manage_roles


def test_without_settings_invitations_name_the_setting_to_add(env) -> None:  # type: ignore[no-untyped-def]
    telegram = runner.invoke(app, ["invite", "create", "--community", "Riverside", "--platform", "telegram"])
    assert telegram.exit_code == 0, telegram.output
    assert "t.me/<bot_username>" not in telegram.output and "link:" not in telegram.output
    assert "SURGERYBOT_TELEGRAM__BOT_USERNAME" in telegram.output.replace("\n", "")
    discord_ = runner.invoke(app, ["invite", "create", "--community", "Hilltop", "--platform", "discord"])
    assert "<application_id>" not in discord_.output
    assert "SURGERYBOT_DISCORD__APPLICATION_ID" in discord_.output.replace("\n", "")


def test_bad_invitation_input(env) -> None:  # type: ignore[no-untyped-def]
    wrong = runner.invoke(app, ["invite", "create", "--community", "X", "--platform", "myspace"])
    assert wrong.exit_code == 1 and "Unknown platform" in wrong.output
    bad_expiry = runner.invoke(app, ["invite", "create", "--community", "X", "--platform", "telegram",
                                     "--expires", "soon"])
    assert bad_expiry.exit_code == 1 and "isn't a duration" in bad_expiry.output


def test_councillors_and_communities(env) -> None:  # type: ignore[no-untyped-def]
    added = json.loads(runner.invoke(app, ["councillor", "add", "--name", "Cllr Jane Smith", "--ward", "Riverside",
                                           "--json"]).output)
    assert added["link_code"] and f"/link {added['link_code']}" in added["instructions"]
    listed = json.loads(runner.invoke(app, ["councillor", "list", "--json"]).output)
    assert [(c["name"], c["linked"]) for c in listed] == [("Cllr Jane Smith", False)]
    assert runner.invoke(app, ["councillor", "remove", str(added["id"])]).exit_code == 0
    assert json.loads(runner.invoke(app, ["councillor", "list", "--json"]).output) == []
    assert json.loads(runner.invoke(app, ["communities", "list", "--json"]).output) == []
    missing = runner.invoke(app, ["communities", "show", "Nowhere"])
    assert missing.exit_code == 1 and "No community called" in missing.output
    assert runner.invoke(app, ["facilitator", "list", "--json"]).output.strip() == "[]"


def test_db_upgrade(env) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0 and "revision" in result.output


def test_demo_runs_as_a_real_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`surgerybot demo` exactly as a person runs it: a subprocess, exit 0, a transcript."""
    completed = subprocess.run([sys.executable, "-m", "bot", "demo", "--database", str(tmp_path / "demo.db")],
                               capture_output=True, text=True, timeout=60, cwd=tmp_path,
                               env={k: v for k, v in os.environ.items() if not k.startswith("SURGERYBOT_")})
    assert completed.returncode == 0, completed.stderr
    transcript = completed.stdout
    assert "only an admin of this group can invite me" in transcript
    assert "is now a guest in this group" in transcript
    assert "leaves Parkside Parents" in transcript
    assert "Traceback" not in transcript + completed.stderr
    assert Path(tmp_path / "demo.db").exists()
