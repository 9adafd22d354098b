"""Issue 16 item 6, as properties of the outbound rendering (adapters/plain_text.py): whatever a resident
typed, Discord shows exactly that text (minus bidi controls), no masked link survives, no bidi control reaches
either platform, and splitting a long message never parts a backslash from what it escapes."""

from __future__ import annotations

import re

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from adapters.discord.outbound import fit, split_text
from adapters.plain_text import BIDI_CONTROLS, discord_plain, without_bidi_controls

# Text rich in what matters here: Markdown characters, brackets, bidi controls, newlines, URLs.
HOSTILE = st.text(alphabet=st.one_of(st.sampled_from("*_~|`\\[]()<>#-+ \n:/.abc1"),
                                     st.sampled_from(sorted(BIDI_CONTROLS)), st.characters()), max_size=80)
LINKS = st.builds(lambda label, url, before, after: f"{before}[{label}]({url}){after}",
                  st.text(max_size=15), st.sampled_from(["https://evil.example/pay", "<https://evil.example>",
                                                         "http://a.example/x_(y)"]), HOSTILE, HOSTILE)
MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
ESCAPE = re.compile(r"\\([^0-9A-Za-z\s])")


def shown(content: str) -> str:
    """What a Discord client shows outside links: a backslash before punctuation escapes it and disappears."""
    return ESCAPE.sub(r"\1", content)


@settings(max_examples=300, deadline=None)
@example("[Pay your council tax here](https://evil.example/pay)")
@given(st.one_of(HOSTILE, LINKS))
def test_no_masked_link_and_no_bidi_control_survives(text: str) -> None:
    rendered = discord_plain(text)
    assert MASKED_LINK.search(rendered) is None, rendered
    assert not BIDI_CONTROLS & set(rendered)
    assert not BIDI_CONTROLS & set(without_bidi_controls(text))


@settings(max_examples=300, deadline=None)
@given(HOSTILE)
def test_discord_shows_what_was_typed(text: str) -> None:
    assume("://" not in text)  # bare URLs are left as they are, so a client shows them raw
    assert shown(discord_plain(text)) == without_bidi_controls(text)


@settings(max_examples=200, deadline=None)
@given(HOSTILE, st.integers(min_value=2, max_value=40))
def test_splitting_keeps_escapes_whole(text: str, limit: int) -> None:
    rendered = discord_plain(text)
    parts = split_text(rendered, limit)
    assert "".join(parts) == rendered
    for part in parts[:-1]:
        trailing = len(part) - len(part.rstrip("\\"))
        assert trailing % 2 == 0, parts


@settings(max_examples=200, deadline=None)
@given(HOSTILE, st.integers(min_value=1, max_value=40))
def test_cutting_to_fit_keeps_escapes_whole(text: str, limit: int) -> None:
    rendered = discord_plain(text)
    cut = fit(rendered, limit)
    assert len(cut) <= limit and rendered.startswith(cut)
    assert (len(cut) - len(cut.rstrip("\\"))) % 2 == 0
