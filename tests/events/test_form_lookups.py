"""The event form lists hamlets and agents only of a commune in the user's area, whatever the URL asks."""

from __future__ import annotations

from portal.auth import roles


def test_a_commune_outside_the_area_lists_nothing(client, auth, world):
    auth.login(world.users[roles.LOCAL_OFFICER])
    own = client.get(f"/events/new?commune={world.own.commune.id}").get_data(as_text=True)
    assert world.own.hamlet.name in own
    for other in (world.near, world.far):
        response = client.get(f"/events/new?commune={other.commune.id}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert other.hamlet.name not in html
        assert other.agent.full_name not in html


def test_out_of_range_ids_in_the_form_are_nobody(client, auth, world):
    auth.login(world.users[roles.LOCAL_OFFICER])
    for value in ("99999999999999999999", "-1", "abc", "2147483648"):
        assert client.get(f"/events/new?commune={value}").status_code == 200
        assert client.get(f"/events/?commune={value}").status_code in (200, 404)
    assert client.get("/campaigns/?year=-1").status_code == 200
    assert client.get("/events/99999999999999999999").status_code == 404
