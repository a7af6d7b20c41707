"""Results are recorded on the event's day: the world's events are under way in these tests (started an hour
ago), unless a test moves its event itself."""

import pytest

from ..factories import under_way


@pytest.fixture(autouse=True)
def _events_under_way(request):
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        for territory in (world.own, world.near, world.far):
            under_way(territory.event)
