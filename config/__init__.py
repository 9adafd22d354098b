"""Settings, the default community policy and every user-facing string."""
