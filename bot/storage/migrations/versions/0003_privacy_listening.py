"""privacy: opt-in listening flag on communities and the aggregated listening_counts table

Revision ID: 0003_privacy
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa


revision = '0003_privacy'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listening_enabled', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('listening_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('theme', sa.String(length=40), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('community_id', 'day', 'theme', name='uq_listening_count')
    )


def downgrade() -> None:
    op.drop_table('listening_counts')
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.drop_column('listening_enabled')
