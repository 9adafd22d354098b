"""Automatic moderation rules (SPEC §5): pure functions over message facts. `engine.evaluate` runs them all."""
