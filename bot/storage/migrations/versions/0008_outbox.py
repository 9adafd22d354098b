"""outbox: actions committed with their event and not yet attempted, so that a process killed between the commit
and the platform call leaves them to be carried out at the next start (bot/outbox.py)

Revision ID: 0008_outbox
Revises: 0007_member_joins
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_outbox'
down_revision = '0007_member_joins'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_outbox_at'), 'outbox', ['at'], unique=False)
    op.create_index(op.f('ix_outbox_owner'), 'outbox', ['owner'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_outbox_owner'), table_name='outbox')
    op.drop_index(op.f('ix_outbox_at'), table_name='outbox')
    op.drop_table('outbox')
