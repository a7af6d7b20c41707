"""Matrix entries: collection points and coverage, collaborators, training records.

The world has no collection point, collaborator or training event: each territorial entry makes its own in the
territory (the test's savepoint drops it afterwards)."""

from datetime import UTC, datetime, timedelta

from .. import factories
from . import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, only, territorial

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)


def _point(t):
    return factories.make_point(t.commune, hamlet=t.hamlet, organisation=t.organisation, agents=[t.agent])


def _collaborator(t):
    return factories.make_collaborator(t.commune, hamlet=t.hamlet)


def _training(t):
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    return factories.make_event(t.commune, t.office, kind="training", title="Tập huấn đại lý", starts_at=start,
                                status="held")


ROUTES = {
    "network.points": Route("GET", "/network/points?q=diem", only(*EDITORS, VIEWER)),
    "network.point_new": Route("GET", "/network/points/new", only(*EDITORS)),
    "network.point_edit": Route("GET", lambda w, t: f"/network/points/{_point(t).id}/edit", territorial(*EDITORS)),
    "network.coverage": Route("GET", "/network/coverage", only(*EDITORS, VIEWER)),
    "network.coverage_rule": Route("POST", lambda w, t: "/network/coverage/rule",
                                   territorial(ADMIN, PROVINCE_OFFICER),
                                   data=lambda w, t: {"province_id": str(t.province.id), "points": "1",
                                                      "agents": "3"}),
    "network.collaborators": Route("GET", "/network/collaborators", only(*EDITORS, VIEWER)),
    "network.collaborator": Route("GET", lambda w, t: f"/network/collaborators/{_collaborator(t).id}",
                                  territorial(*EDITORS, VIEWER)),
    "network.collaborator_new": Route("GET", "/network/collaborators/new", only(*EDITORS)),
    "network.collaborator_edit": Route("GET", lambda w, t: f"/network/collaborators/{_collaborator(t).id}/edit",
                                       territorial(*EDITORS)),
    "network.training": Route("GET", lambda w, t: f"/network/trainings/{_training(t).id}", territorial(*EDITORS)),
}
