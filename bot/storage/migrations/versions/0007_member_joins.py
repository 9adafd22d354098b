"""member joins: when members joined a community's chat (for the newcomer-links rule), kept across restarts

Revision ID: 0007_member_joins
Revises: 0006_cache_generation
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_member_joins'
down_revision = '0006_cache_generation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('member_joins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('community_id', 'user_id', name='uq_member_join')
    )
    op.create_index(op.f('ix_member_joins_joined_at'), 'member_joins', ['joined_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_member_joins_joined_at'), table_name='member_joins')
    op.drop_table('member_joins')
