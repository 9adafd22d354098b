"""`python -m bot` is the same as the `surgerybot` console script."""

from bot.cli import main

main()
