"""Storage: SQLAlchemy 2 async models, the database wrapper (one unit of work per event) and repositories."""
