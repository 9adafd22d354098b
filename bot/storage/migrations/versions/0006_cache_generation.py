"""cache generation: one row whose value goes up whenever a table the context cache reads is written, kept by
triggers so that every writer (another bot instance, the operator CLI) bumps it; on PostgreSQL the triggers
also NOTIFY `surgerybot_cache`, which running instances LISTEN to

Revision ID: 0006_cache_generation
Revises: 0005_drop_pending_joins
"""

from alembic import op
import sqlalchemy as sa


revision = '0006_cache_generation'
down_revision = '0005_drop_pending_joins'
branch_labels = None
depends_on = None

# Keep in step with bot.storage.database.WATCHED_TABLES (a test checks they agree).
WATCHED = ('communities', 'people', 'identities', 'councillors', 'facilitators', 'sessions',
           'session_communities', 'policies', 'cases')


def upgrade() -> None:
    op.create_table('cache_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO cache_generation (id, value) VALUES (1, 0)")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("""
            CREATE FUNCTION surgerybot_bump_cache() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE cache_generation SET value = value + 1 WHERE id = 1;
                PERFORM pg_notify('surgerybot_cache', TG_TABLE_NAME);
                RETURN NULL;
            END $$""")
        for table in WATCHED:
            op.execute(f"CREATE TRIGGER {table}_bump_cache AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION surgerybot_bump_cache()")
        return
    for table in WATCHED:
        for what in ('INSERT', 'UPDATE', 'DELETE'):
            op.execute(f"CREATE TRIGGER {table}_bump_cache_{what.lower()} AFTER {what} ON {table} "
                       "BEGIN UPDATE cache_generation SET value = value + 1 WHERE id = 1; END")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table in WATCHED:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_bump_cache ON {table}")
        else:
            for what in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_bump_cache_{what}")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS surgerybot_bump_cache()")
    op.drop_table('cache_generation')
