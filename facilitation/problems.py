"""Why something a person typed can't be used, as a code and values; the edge turns it into a sentence in the
reader's language (`config.messages.Messages.problem`). The domain never builds English itself."""

from __future__ import annotations

from collections.abc import Mapping


class InputProblem(ValueError):
    """`code` is a key of the message catalogue and `values` fill its fields. A value may itself be an
    `InputProblem` (a list entry's problem inside the setting's), which the edge renders first.

    It is a `ValueError` so that pydantic validators can raise it as it is and keep it in the error's context."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code, values)
        self.code = code
        self.values: Mapping[str, object] = values

    def __str__(self) -> str:
        return f"{self.code} {dict(self.values)}" if self.values else self.code
