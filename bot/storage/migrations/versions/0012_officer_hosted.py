"""officer-hosted surgeries: a council officer (one of the community's facilitators) may host a surgery with no
councillor, which a pre-election period allows; sessions.councillor_id may be NULL, and such a session keeps its
officer host's account (to reach them privately) and display name (to announce them)

Revision ID: 0012_officer_hosted
Revises: 0011_languages_and_elections
"""

from alembic import op
import sqlalchemy as sa


revision = '0012_officer_hosted'
down_revision = '0011_languages_and_elections'
branch_labels = None
depends_on = None

# Migration 0006's cache-generation triggers on `sessions` (SQLite): recreating the table drops them.
_TRIGGER = ("CREATE TRIGGER sessions_bump_cache_{what} AFTER {WHAT} ON sessions "
            "BEGIN UPDATE cache_generation SET value = value + 1 WHERE id = 1; END")


def _recreating_sqlite_table() -> bool:
    """SQLite drops a NOT NULL only by recreating the table. With foreign keys on, dropping the old table would
    first delete every session, cascading to their questions, votes and communities: refuse rather than lose
    them (surgerybot's own `db upgrade` and the plain alembic command both run with them off)."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return False
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("0012_officer_hosted recreates the sessions table: run it with foreign keys off "
                           "(`surgerybot db upgrade` does)")
    return True


def _restore_sqlite_triggers() -> None:
    for what in ('insert', 'update', 'delete'):
        op.execute(f"DROP TRIGGER IF EXISTS sessions_bump_cache_{what}")
        op.execute(_TRIGGER.format(what=what, WHAT=what.upper()))


def upgrade() -> None:
    op.add_column('sessions', sa.Column('officer_platform', sa.String(length=16), nullable=True))
    op.add_column('sessions', sa.Column('officer_user_id', sa.String(length=64), nullable=True))
    op.add_column('sessions', sa.Column('officer_name', sa.String(length=200), server_default='', nullable=False))
    if _recreating_sqlite_table():
        with op.batch_alter_table('sessions', recreate='always') as batch:
            batch.alter_column('councillor_id', existing_type=sa.Integer(), nullable=True)
        _restore_sqlite_triggers()
    else:
        op.alter_column('sessions', 'councillor_id', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # An officer-hosted surgery has no councillor to give it back: say so rather than invent one or delete it.
    hosted = op.get_bind().exec_driver_sql("SELECT count(*) FROM sessions WHERE councillor_id IS NULL").scalar()
    if hosted:
        raise RuntimeError(f"Surgeries hosted by a council officer, with no councillor ({hosted} of them), don't fit "
                           "an earlier schema. Remove them before downgrading.")
    if _recreating_sqlite_table():
        with op.batch_alter_table('sessions', recreate='always') as batch:
            batch.alter_column('councillor_id', existing_type=sa.Integer(), nullable=False)
            batch.drop_column('officer_name')
            batch.drop_column('officer_user_id')
            batch.drop_column('officer_platform')
        _restore_sqlite_triggers()
        return
    op.alter_column('sessions', 'councillor_id', existing_type=sa.Integer(), nullable=False)
    op.drop_column('sessions', 'officer_name')
    op.drop_column('sessions', 'officer_user_id')
    op.drop_column('sessions', 'officer_platform')
