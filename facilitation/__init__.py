"""What the product knows: consent, roles, sessions, queues, policies and rules, as pure functions over
frozen data. No I/O, no platform imports, no database sessions."""
