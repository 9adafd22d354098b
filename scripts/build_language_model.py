"""Build bot/data/welsh_english.langid.xz, the Welsh-or-English identifier the bot ships, from py3langid's model.

py3langid (BSD-3-Clause, a maintained fork of langid.py) ships a 97-language naive-Bayes model and a byte-level
automaton (a DFA of ~38,000 rows × 256 bytes of 32-bit states) that, with numpy, takes ~64 MB of a process's
memory. The bot asks one question only — Welsh or English? — so this script keeps exactly what that question
needs, in a form that needs neither numpy nor a dense table:

- the automaton as Aho–Corasick *goto* edges (a sorted key array of `state << 8 | byte` and the states they lead
  to) plus a *fail* link per state: the same walk as py3langid's dense DFA, recovered from it below;
- for each state, the feature py3langid counts on reaching it (`out`), unchanged;
- per feature, the difference of its Welsh and English log-probabilities, and the difference of the priors. With two
  languages and py3langid's normalisation, P(Welsh) is the logistic function of that difference (see
  bot/language_id.py), so the per-language columns are not needed.

The output is deterministic: `tests/test_language_id.py` rebuilds it from the installed py3langid and checks it is
the shipped file's content byte for byte, and that both identifiers agree. Run from the repository root (needs the `dev` extra):

    python scripts/build_language_model.py
"""

from __future__ import annotations

import lzma
import struct
import sys
from array import array
from collections import deque
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "bot" / "data" / "welsh_english.langid.xz"
MAGIC = b"SBLANGID1"
LANGUAGES = ("cy", "en")


def _dense_model():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    assert identifier.nb_classes == list(LANGUAGES), identifier.nb_classes
    return identifier


def payload(*, verify: bool = True) -> bytes:
    """The model file's contents before compression. `verify` walks every state and byte of both automata."""
    model = _dense_model()
    nextmove, rowbase, out = model.tk_nextmove, model._rowbase, model.tk_output
    states = len(out)

    # Trie edges are the transitions that go one byte deeper; breadth-first order finds every state's depth (no
    # path reaches a state of depth k in fewer than k steps, and the one that does spells its string).
    depth = [-1] * states
    depth[0] = 0
    order = [0]
    goto: dict[int, int] = {}
    queue = deque([0])
    while queue:
        state = queue.popleft()
        base = rowbase[state]
        for byte in range(256):
            child = nextmove[base + byte]
            if depth[child] == -1:
                depth[child] = depth[state] + 1
                order.append(child)
                queue.append(child)
                goto[(state << 8) | byte] = child
    assert -1 not in depth, "a state is unreachable"

    # fail(child of s by b) = where the dense table goes from fail(s) by b; the root's children fail to the root.
    fail = [0] * states
    parent_byte = {child: key for key, child in goto.items()}
    for child in order[1:]:
        key = parent_byte[child]
        parent, byte = key >> 8, key & 0xFF
        fail[child] = 0 if parent == 0 else nextmove[rowbase[fail[parent]] + byte]

    # The sparse walk must be the dense one: check every state and byte.
    def step(state: int, byte: int) -> int:
        while True:
            child = goto.get((state << 8) | byte)
            if child is not None:
                return child
            if state == 0:
                return 0
            state = fail[state]

    for state in range(states if verify else 0):
        base = rowbase[state]
        for byte in range(256):
            assert step(state, byte) == nextmove[base + byte], (state, byte)

    ptc = model.nb_ptc.astype("float32")
    pc = model.nb_pc.astype("float32")
    keys = sorted(goto)
    parts = [
        array("I", keys), array("I", (goto[key] for key in keys)),
        array("I", fail), array("i", out),
        array("f", (float(welsh - english) for welsh, english in ptc.tolist())),
    ]
    header = MAGIC + struct.pack("<f5I", float(pc[0] - pc[1]), *(len(part) for part in parts))
    body = b"".join(part.tobytes() for part in parts)
    if sys.byteorder != "little":  # the file is little-endian wherever it is built
        raise SystemExit("build on a little-endian machine")
    return header + body


def main() -> None:
    data = lzma.compress(payload(), preset=9)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(data)
    print(f"wrote {OUTPUT} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
