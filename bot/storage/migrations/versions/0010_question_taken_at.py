"""questions.taken_at: when the host first took a question (`/next`), so reports can show the time from asking to
being taken and a timeline of the session; filled for earlier questions from their `question_next` audit rows.
An index on audit_log (action, at) for reading the trail by action (`audit list --action`, insight).

Revision ID: 0010_question_taken_at
Revises: 0009_joint_surgeries_casework
"""

from alembic import op
import sqlalchemy as sa


revision = '0010_question_taken_at'
down_revision = '0009_joint_surgeries_casework'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('questions') as batch:
        batch.add_column(sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True))
    # The audit trail already holds every /next (target "question:<id>"): the first one is when it was taken.
    op.execute("UPDATE questions SET taken_at = (SELECT MIN(audit_log.at) FROM audit_log "
               "WHERE audit_log.action = 'question_next' "
               "AND audit_log.target = 'question:' || CAST(questions.id AS VARCHAR(20)))")
    op.create_index('ix_audit_log_action_at', 'audit_log', ['action', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_log_action_at', table_name='audit_log')
    with op.batch_alter_table('questions') as batch:
        batch.drop_column('taken_at')
