"""joint surgeries, held private notes and casework follow-through: when a community joined a session, a question's
vote messages in the other joined chats, private notes kept until their reader starts the bot, and a referral's
status with its dates

Revision ID: 0009_joint_surgeries_casework
Revises: 0008_outbox
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_joint_surgeries_casework'
down_revision = '0008_outbox'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN, not batch mode: recreating session_communities on SQLite would drop its
    # cache-generation triggers (migration 0006).
    op.add_column('session_communities', sa.Column('joined_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('question_copies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('question_id', 'platform', 'chat_id', name='uq_question_copy')
    )
    op.create_index(op.f('ix_question_copies_question_id'), 'question_copies', ['question_id'], unique=False)
    op.create_table('pending_private_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_pending_private_notes_user_id'), 'pending_private_notes', ['user_id'], unique=False)
    op.add_column('casework_referrals', sa.Column('status', sa.String(length=16), server_default='open',
                                                  nullable=False))
    op.add_column('casework_referrals', sa.Column('status_note', sa.Text(), server_default='', nullable=False))
    op.add_column('casework_referrals', sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('casework_referrals', sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('casework_referrals', sa.Column('resident_asked_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_casework_referrals_status'), 'casework_referrals', ['status'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_casework_referrals_status'), table_name='casework_referrals')
    for column in ('resident_asked_at', 'closed_at', 'replied_at', 'status_note', 'status'):
        op.drop_column('casework_referrals', column)
    op.drop_index(op.f('ix_pending_private_notes_user_id'), table_name='pending_private_notes')
    op.drop_table('pending_private_notes')
    op.drop_index(op.f('ix_question_copies_question_id'), table_name='question_copies')
    op.drop_table('question_copies')
    op.drop_column('session_communities', 'joined_at')
