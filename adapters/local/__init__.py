"""An in-memory platform: what `surgerybot demo` runs on and what scenario tests drive."""

from adapters.local.adapter import LocalAdapter
from adapters.local.world import LocalWorld

__all__ = ["LocalAdapter", "LocalWorld"]
