"""drop pending_joins: nothing ever wrote it; a dormant group is tracked by its audit row and the durable
acceptance-window timer (bot/handlers/consent.py)

Revision ID: 0005_drop_pending_joins
Revises: 0004_moderation
"""

from alembic import op
import sqlalchemy as sa


revision = '0005_drop_pending_joins'
down_revision = '0004_moderation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table('pending_joins')


def downgrade() -> None:
    op.create_table('pending_joins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('space_id', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('window_ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'space_id', name='uq_pending_space')
    )
