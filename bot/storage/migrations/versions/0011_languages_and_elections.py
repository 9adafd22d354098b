"""languages and pre-election periods: a community's language, a person's chosen language, and the operator's
pre-election periods with the communities each covers

Revision ID: 0011_languages_and_elections
Revises: 0010_question_taken_at
"""

from alembic import op
import sqlalchemy as sa


revision = '0011_languages_and_elections'
down_revision = '0010_question_taken_at'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    op.create_table('language_choices',
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('chosen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('platform', 'user_id')
    )
    op.create_table('election_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('election_period_communities',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['election_periods.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('period_id', 'community_id')
    )


def downgrade() -> None:
    op.drop_table('election_period_communities')
    op.drop_table('election_periods')
    op.drop_table('language_choices')
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.drop_column('language')
