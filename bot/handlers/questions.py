"""Residents' questions and the host's queue (SPEC §4), as one feature: asking, /queue and strict-mode approval
(question_asking.py), the private /ask conversation (private_ask.py), the host's moves and the live question's
timers (question_moves.py), and the question buttons (question_buttons.py). Public replies never name an
anonymous or private asker; askers hear about their own question privately."""

from __future__ import annotations

from bot.command_router import CommandRouter, CommandSpec, Where
from bot.context import Context
from bot.features import Arg, ArgKind, ButtonRoute, Feature, TimerRoute
from bot.handlers.question_asking import QuestionAsking
from bot.handlers.question_buttons import QuestionButtons
from bot.handlers.question_moves import QUESTION_TIMER, HostMoves
from facilitation.roles import Role


class QuestionHandlers:
    def __init__(self, ctx: Context, router: CommandRouter) -> None:
        self.ctx = ctx
        self.router = router
        self.asking = QuestionAsking(ctx)
        self.private = self.asking.private
        self.moves = HostMoves(ctx)
        self.buttons = QuestionButtons(ctx, self.asking.approve_question)

    def feature(self) -> Feature:
        # Host moves act on the live question unless another is named; the number comes first: `/park #4 later`.
        which = Arg("question", "Question number (empty: the live question)", ArgKind.QUESTION)
        note = Arg("note", "A short note")

        def move(name: str, summary: str, *args: Arg) -> CommandSpec:
            return CommandSpec(name, getattr(self.moves, f"cmd_{name}"), summary, role=Role.HOST, where=Where.GROUP,
                               args=args)

        def number(name: str = "number") -> Arg:
            return Arg(name, "Question number", ArgKind.NUMBER, required=True)

        private = self.private
        return Feature(
            "questions",
            commands=(
                CommandSpec("ask", self.asking.ask, "ask the councillor a question (privately: anonymous or private)",
                            args=(Arg("text", "Your question", required=True),)),
                CommandSpec("withdraw", self.asking.withdraw, "take back your own question while it waits: <n>",
                            args=(Arg("number", "Your question's number", ArgKind.NUMBER, required=True),)),
                CommandSpec("queue", self.asking.queue, "the questions waiting, most wanted first", where=Where.GROUP),
                CommandSpec("approve", self.asking.approve, "strict mode: let a question into the queue",
                            role=Role.FACILITATOR, where=Where.GROUP, args=(number(),)),
                move("next", "take the top question"),
                move("answered", "mark the question answered", which, note),
                move("park", "park the question for later", which, Arg("reason", "Why (shown in the case log)")),
                move("dismiss", "set a question aside", which, Arg("reason", "Why (the asker is told privately)")),
                move("refer", "refer the question to casework", which, note),
                move("merge", "merge question b into a", number("a"), number("b")),
                move("reopen", "put a question back in the queue", number()),
            ),
            buttons=tuple(ButtonRoute(f"{prefix}:", self.buttons.numbered(handler)) for prefix, handler in (
                ("vote", self.buttons.on_vote), ("askc", private.on_community), ("askv", private.on_visibility),
                ("askx", private.on_cancel), ("approve", self.buttons.on_approve_button), ("followup", self.buttons.on_followup))),
            timers=(TimerRoute(QUESTION_TIMER, self.moves.on_timer),),
        )
