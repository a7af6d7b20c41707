"""The outreach network: collection points and the coverage rule, collaborators and training records, commune
facts with their dates (the island communes move there), former communes and districts, and the activity kinds
beyond conferences (talks within other meetings, round-tables, legal advice, media work).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 16:40:00.000000

"""
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

OLD_KINDS = "kind IN ('conference', 'training', 'door_to_door', 'mobile_propaganda', 'dialogue')"
NEW_KINDS = ("kind IN ('conference', 'training', 'door_to_door', 'mobile_propaganda', 'dialogue', "
             "'integrated_talk', 'round_table', 'legal_advice', 'media')")
#: The island communes known before dated facts are taken to be so since the reorganisation.
REORGANISATION = date(2025, 7, 1)
NEW_RURAL_SOURCE = 'Chuyển từ nhóm đối tượng "Xã nông thôn mới" của người dân'


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('former_places',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('district_key', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_former_places_commune_id_communes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_former_places_province_id_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_former_places')),
    sa.UniqueConstraint('province_id', 'district_key', 'name_key', name='uq_former_places_name')
    )
    with op.batch_alter_table('former_places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_former_places_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_former_places_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_former_places_province_id'), ['province_id'], unique=False)

    op.create_table('collaborators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=10), nullable=True),
    sa.Column('trained_on', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('search_name', sa.String(length=120), nullable=False),
    sa.CheckConstraint("role IN ('hamlet_head', 'association_leader', 'commune_official', 'health_worker', 'other')", name=op.f('ck_collaborators_role')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_collaborators_commune_id_communes')),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_collaborators_hamlet_id_hamlets'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collaborators'))
    )
    with op.batch_alter_table('collaborators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collaborators_commune_id'), ['commune_id'], unique=False)

    op.create_table('collection_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('opening_days', sa.String(length=30), nullable=False),
    sa.Column('hours', sa.String(length=60), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_key', sa.String(length=800), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_collection_points_commune_id_communes')),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_collection_points_hamlet_id_hamlets'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['agent_organisations.id'], name=op.f('fk_collection_points_organisation_id_agent_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collection_points'))
    )
    with op.batch_alter_table('collection_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collection_points_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collection_points_hamlet_id'), ['hamlet_id'], unique=False)

    op.create_table('collection_point_agents',
    sa.Column('point_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_collection_point_agents_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['point_id'], ['collection_points.id'], name=op.f('fk_collection_point_agents_point_id_collection_points'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('point_id', 'agent_id', name=op.f('pk_collection_point_agents'))
    )
    with op.batch_alter_table('collection_point_agents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collection_point_agents_agent_id'), ['agent_id'], unique=False)

    op.create_table('commune_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('fact', sa.String(length=20), nullable=False),
    sa.Column('value', sa.Boolean(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("fact IN ('island', 'escaped_poverty', 'new_rural')", name=op.f('ck_commune_facts_fact')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_commune_facts_commune_id_communes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_commune_facts_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_facts')),
    sa.UniqueConstraint('commune_id', 'fact', 'effective_from', name='uq_commune_facts_day')
    )
    with op.batch_alter_table('commune_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commune_facts_commune_id'), ['commune_id'], unique=False)

    op.create_table('coverage_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('points_per_hamlet', sa.Integer(), nullable=False),
    sa.Column('agents_per_hamlet', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('points_per_hamlet >= 0 AND agents_per_hamlet >= 0', name=op.f('ck_coverage_rules_counts')),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_coverage_rules_province_id_provinces')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_coverage_rules_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_rules')),
    sa.UniqueConstraint('province_id', name=op.f('uq_coverage_rules_province_id'))
    )
    op.create_table('training_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('collaborator_id', sa.Integer(), nullable=True),
    sa.Column('previous_trained_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(agent_id IS NULL) <> (collaborator_id IS NULL)', name=op.f('ck_training_participants_who')),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_training_participants_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['collaborator_id'], ['collaborators.id'], name=op.f('fk_training_participants_collaborator_id_collaborators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_training_participants_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_training_participants_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_participants'))
    )
    with op.batch_alter_table('training_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_participants_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_participants_collaborator_id'), ['collaborator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_participants_event_id'), ['event_id'], unique=False)
        batch_op.create_index('uq_training_participants_agent', ['event_id', 'agent_id'], unique=True, postgresql_where=sa.text('agent_id IS NOT NULL'), sqlite_where=sa.text('agent_id IS NOT NULL'))
        batch_op.create_index('uq_training_participants_collaborator', ['event_id', 'collaborator_id'], unique=True, postgresql_where=sa.text('collaborator_id IS NOT NULL'), sqlite_where=sa.text('collaborator_id IS NOT NULL'))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_meeting', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('attendee_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('media_channel', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('media_items', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reach', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_events_kind'), type_='check')
        batch_op.create_check_constraint('kind', NEW_KINDS)
        batch_op.create_check_constraint(
            'media_channel', "media_channel IN ('loudspeaker', 'article', 'post') OR media_channel IS NULL")

    communes = sa.table('communes', sa.column('id', sa.Integer()), sa.column('island', sa.Boolean()))
    facts = sa.table('commune_facts', sa.column('commune_id', sa.Integer()), sa.column('fact', sa.String()),
                     sa.column('value', sa.Boolean()), sa.column('effective_from', sa.Date()),
                     sa.column('source', sa.String()), sa.column('recorded_at', sa.DateTime()))
    now = datetime.now(UTC).replace(tzinfo=None)
    op.execute(facts.insert().from_select(
        ['commune_id', 'fact', 'value', 'effective_from', 'source', 'recorded_at'],
        sa.select(communes.c.id, sa.literal('island'), sa.true(), sa.literal(REORGANISATION, sa.Date()),
                  sa.literal(None, sa.String()), sa.literal(now, sa.DateTime()))
        .where(communes.c.island == sa.true())))
    # "New rural" was a tag of people; it is a fact of their commune now. A commune where someone carried the
    # tag is taken to meet the standard since the reorganisation; the tags, their search rows and the event
    # audiences that named them go.
    people = sa.table('people', sa.column('id', sa.Integer()), sa.column('commune_id', sa.Integer()))
    tags = sa.table('person_tags', sa.column('person_id', sa.Integer()), sa.column('tag', sa.String()))
    op.execute(facts.insert().from_select(
        ['commune_id', 'fact', 'value', 'effective_from', 'source', 'recorded_at'],
        sa.select(people.c.commune_id, sa.literal('new_rural'), sa.true(), sa.literal(REORGANISATION, sa.Date()),
                  sa.literal(NEW_RURAL_SOURCE, sa.String()), sa.literal(now, sa.DateTime()))
        .where(people.c.id.in_(sa.select(tags.c.person_id).where(tags.c.tag == 'new_rural')))
        .group_by(people.c.commune_id)))
    op.execute(tags.delete().where(tags.c.tag == 'new_rural'))
    tokens = sa.table('person_name_tokens', sa.column('token', sa.String()))
    op.execute(tokens.delete().where(tokens.c.token == 'TAG:new_rural'))
    audiences = sa.table('event_audiences', sa.column('tag', sa.String()))
    op.execute(audiences.delete().where(audiences.c.tag == 'new_rural'))


def downgrade():
    events = sa.table('events', sa.column('kind', sa.String()))
    op.execute(events.update().where(events.c.kind.in_(('integrated_talk', 'round_table', 'legal_advice')))
               .values(kind='dialogue'))
    op.execute(events.update().where(events.c.kind == 'media').values(kind='mobile_propaganda'))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_events_media_channel'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_events_kind'), type_='check')
        batch_op.create_check_constraint('kind', OLD_KINDS)
        batch_op.drop_column('reach')
        batch_op.drop_column('media_items')
        batch_op.drop_column('media_channel')
        batch_op.drop_column('attendee_count')
        batch_op.drop_column('host_meeting')

    with op.batch_alter_table('training_participants', schema=None) as batch_op:
        batch_op.drop_index('uq_training_participants_collaborator', postgresql_where=sa.text('collaborator_id IS NOT NULL'), sqlite_where=sa.text('collaborator_id IS NOT NULL'))
        batch_op.drop_index('uq_training_participants_agent', postgresql_where=sa.text('agent_id IS NOT NULL'), sqlite_where=sa.text('agent_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_training_participants_event_id'))
        batch_op.drop_index(batch_op.f('ix_training_participants_collaborator_id'))
        batch_op.drop_index(batch_op.f('ix_training_participants_agent_id'))

    op.drop_table('training_participants')
    op.drop_table('coverage_rules')
    with op.batch_alter_table('commune_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commune_facts_commune_id'))

    op.drop_table('commune_facts')
    with op.batch_alter_table('collection_point_agents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collection_point_agents_agent_id'))

    op.drop_table('collection_point_agents')
    with op.batch_alter_table('collection_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collection_points_hamlet_id'))
        batch_op.drop_index(batch_op.f('ix_collection_points_commune_id'))

    op.drop_table('collection_points')
    with op.batch_alter_table('collaborators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collaborators_commune_id'))

    op.drop_table('collaborators')
    with op.batch_alter_table('former_places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_former_places_province_id'))
        batch_op.drop_index(batch_op.f('ix_former_places_name_key'))
        batch_op.drop_index(batch_op.f('ix_former_places_commune_id'))

    op.drop_table('former_places')
