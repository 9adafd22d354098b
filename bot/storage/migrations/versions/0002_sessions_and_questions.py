"""sessions and questions: asker contact, vote message chat, carried questions, casework session, ask drafts

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asker_platform', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('asker_user_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('asker_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('message_chat_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('carried_from_id', sa.Integer(), nullable=True))

    with op.batch_alter_table('casework_referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_casework_referrals_session_id'), ['session_id'], unique=False)

    op.create_table('ask_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('ask_drafts')
    with op.batch_alter_table('casework_referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casework_referrals_session_id'))
        batch_op.drop_column('session_id')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('carried_from_id')
        batch_op.drop_column('message_chat_id')
        batch_op.drop_column('asker_name')
        batch_op.drop_column('asker_user_id')
        batch_op.drop_column('asker_platform')
