"""Handlers glue events to decisions: load state in one unit of work, ask `facilitation/`, save, return actions."""
