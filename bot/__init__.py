"""surgerybot: the platform-neutral runtime core (vocabulary, dispatcher, executor, storage, timers, CLI)."""

__version__ = "0.1.0"
