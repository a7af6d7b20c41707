"""The scope helper: who sees which communes, hamlets, offices and agents."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from portal.auth import roles
from portal.auth.scope import NO_SCOPE, get_or_404, scope_for, scoped
from portal.extensions import db
from portal.geo.models import Commune, Hamlet, Province
from portal.org.models import Agent, AgentOrganisation, Office

from .. import factories


def _ids(model, scope):
    return set(db.session.scalars(scoped(model, select(model.id), scope=scope)))


def test_admin_sees_everything(world):
    scope = scope_for(world.users[roles.ADMIN])
    assert scope.is_all
    assert _ids(Commune, scope) == set(db.session.scalars(select(Commune.id)))


def test_province_officer_sees_their_province_only(world):
    scope = scope_for(world.users[roles.PROVINCE_OFFICER])
    communes = _ids(Commune, scope)
    assert {world.own.commune.id, world.near.commune.id} <= communes
    assert world.far.commune.id not in communes
    assert world.far.hamlet.id not in _ids(Hamlet, scope)
    assert _ids(Province, scope) == {world.own.province.id}
    assert world.far.agent.id not in _ids(Agent, scope)
    assert world.near.agent.id in _ids(Agent, scope)
    assert world.far.office.id not in _ids(Office, scope)


@pytest.mark.parametrize("role", [roles.LOCAL_OFFICER, roles.VIEWER])
def test_local_officer_and_viewer_see_their_office_communes(world, role):
    scope = scope_for(world.users[role])
    assert _ids(Commune, scope) == {world.own.commune.id, world.own.commune2.id}
    assert _ids(Hamlet, scope) == {world.own.hamlet.id, world.own.hamlet2.id}
    assert _ids(Agent, scope) == {world.own.agent.id}
    assert _ids(AgentOrganisation, scope) == {world.own.organisation.id}
    assert _ids(Office, scope) == {world.own.office.id}
    assert _ids(Province, scope) == {world.own.province.id}


def test_agent_sees_only_assigned_communes_and_hamlets(world):
    scope = scope_for(world.users[roles.AGENT])
    assert _ids(Commune, scope) == {world.own.commune.id}
    assert _ids(Hamlet, scope) == {world.own.hamlet.id}  # not hamlet2 of the same commune
    assert _ids(Agent, scope) == {world.own.agent.id}
    assert _ids(Office, scope) == set()


def test_viewer_of_the_province_office_reads_the_province(world):
    viewer = factories.make_user(roles.VIEWER, office_id=world.own.province_office.id)
    scope = scope_for(viewer)
    assert world.near.commune.id in _ids(Commune, scope)
    assert world.far.commune.id not in _ids(Commune, scope)


def test_users_without_office_or_agent_see_nothing(world):
    for role in (roles.LOCAL_OFFICER, roles.PROVINCE_OFFICER, roles.VIEWER, roles.AGENT):
        scope = scope_for(factories.make_user(role))
        assert scope == NO_SCOPE
        assert _ids(Commune, scope) == set()
        assert _ids(Hamlet, scope) == set()
        assert _ids(Agent, scope) == set()


def test_get_or_404_hides_other_territories(world):
    scope = scope_for(world.users[roles.LOCAL_OFFICER])
    assert get_or_404(Commune, world.own.commune.id, scope=scope).id == world.own.commune.id
    with pytest.raises(NotFound):
        get_or_404(Commune, world.near.commune.id, scope=scope)
    with pytest.raises(NotFound):
        get_or_404(Hamlet, world.far.hamlet.id, scope=scope)
