"""Read every text value stored in a SQLite file, table by table, by reflecting the schema: the check that
"no text reached the database" does not depend on anyone remembering to list a new column."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import JSON, MetaData, String, Text, create_engine, select


def text_values(database: Path) -> list[tuple[str, str, str]]:
    """(table, column, value) for every non-empty string in every text-like column of every table."""
    engine = create_engine(f"sqlite:///{database}")
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        found = []
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
                if not columns:
                    continue
                for row in connection.execute(select(*columns)):
                    for column, value in zip(columns, row, strict=True):
                        if value not in (None, ""):
                            found.append((table.name, column.name, value if isinstance(value, str) else repr(value)))
        return found
    finally:
        engine.dispose()


def containing(database: Path, *needles: str) -> list[tuple[str, str, str]]:
    """The stored values that contain any of `needles` (case-insensitive)."""
    lowered = [n.lower() for n in needles]
    return [hit for hit in text_values(database) if any(n in hit[2].lower() for n in lowered)]
