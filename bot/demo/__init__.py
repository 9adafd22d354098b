"""`surgerybot demo`: the runner and its parts (surgery, moderation, privacy, casework, the election period) on a
shared stage (base)."""

from bot.demo.runner import run_demo

__all__ = ["run_demo"]
