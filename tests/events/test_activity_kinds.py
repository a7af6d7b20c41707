"""Activity kinds beyond conferences: each records what it needs, and the campaign report counts them by kind."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.extensions import db
from portal.results.models import Attendance

from .. import factories
from .helpers import by_title, event_data


def test_a_talk_within_another_meeting_needs_its_host_meeting(client, auth, world):
    auth.login(world.users["local_officer"])
    data = event_data(world, kind="integrated_talk", title="Lồng ghép họp Chi hội Phụ nữ", attendee_count="35")
    response = client.post("/events/new", data=data)
    assert response.status_code == 422 and by_title("Lồng ghép họp Chi hội Phụ nữ") is None
    assert client.post("/events/new", data={**data, "host_meeting": "Họp Chi hội Phụ nữ thôn Thượng"}).status_code == 303
    event = by_title("Lồng ghép họp Chi hội Phụ nữ")
    assert (event.kind, event.host_meeting, event.attendee_count) == (
        "integrated_talk", "Họp Chi hội Phụ nữ thôn Thượng", 35)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Họp Chi hội Phụ nữ thôn Thượng" in page


def test_media_work_records_channel_items_and_reach(client, auth, world):
    auth.login(world.users["local_officer"])
    data = event_data(world, kind="media", title="Phát thanh tháng 5", venue="Đài truyền thanh xã",
                      media_channel="loudspeaker", media_items="", reach="1.200")
    assert client.post("/events/new", data=data).status_code == 422
    assert client.post("/events/new", data={**data, "media_items": "12"}).status_code == 303
    event = by_title("Phát thanh tháng 5")
    assert (event.media_channel, event.media_items, event.reach, event.host_meeting) == ("loudspeaker", 12, 1200,
                                                                                         None)


def test_fields_of_another_kind_are_not_kept(client, auth, world):
    auth.login(world.users["local_officer"])
    data = event_data(world, title="Hội nghị có số liệu thừa", media_channel="post", media_items="3",
                      host_meeting="Họp thôn")
    assert client.post("/events/new", data=data).status_code == 303
    event = by_title("Hội nghị có số liệu thừa")
    assert (event.media_channel, event.media_items, event.host_meeting) == (None, None, None)


def test_campaign_report_counts_activities_by_kind(client, auth, world):
    own = world.own
    may = datetime(2027, 5, 10, 1, 0, tzinfo=UTC)
    talk = factories.make_event(own.commune, own.office, kind="integrated_talk", title="Lồng ghép", starts_at=may,
                                status="held", host_meeting="Họp thôn", attendee_count=40)
    factories.make_event(own.commune, own.office, kind="media", title="Phát thanh", starts_at=may, status="held",
                         media_channel="loudspeaker", media_items=8, reach=3000)
    factories.make_event(own.commune, own.office, kind="media", title="Bài đăng", starts_at=may, status="held",
                         media_channel="post", media_items=2, reach=500)
    factories.make_event(own.commune, own.office, kind="round_table", title="Tọa đàm", starts_at=may,
                         status="cancelled")
    factories.make_event(world.far.commune, world.far.office, kind="media", title="Tỉnh khác", starts_at=may,
                         status="held", media_channel="article", media_items=99, reach=99)
    db.session.add(Attendance(event_id=talk.id, name="Người dự", walk_in=True))
    db.session.commit()
    auth.login(world.users["province_officer"])
    html = client.get(f"/reports/campaigns/{world.campaign_own.id}").get_data(as_text=True)
    section = html.split('class="activities-by-kind"')[1].split("</section>")[0]
    rows = {row.split("</th>")[0].split(">")[-1]: row for row in section.split('<th scope="row">')[1:]}
    assert len(rows) == 2
    talk_row = next(r for k, r in rows.items() if k not in ("Media work", "Truyền thông"))
    assert ">1<" in talk_row and ">41<" in talk_row
    media_row = next(r for k, r in rows.items() if k in ("Media work", "Truyền thông"))
    assert ">2<" in media_row and ">10<" in media_row and "3.500" in media_row


def test_the_commune_report_for_the_committee_lists_activities_by_kind(client, auth, world):
    import io

    from openpyxl import load_workbook

    may = datetime(2027, 5, 12, 1, 0, tzinfo=UTC)
    factories.make_event(world.own.commune, world.own.office, kind="legal_advice", title="Tư vấn pháp luật",
                         starts_at=may, status="held", attendee_count=25)
    auth.login(world.users["province_officer"])
    response = client.get(f"/reports/campaigns/{world.campaign_own.id}/communes.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    cells = [[c for c in row] for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    assert ["Tư vấn pháp luật", 1, 25, None, None] in [row[:5] for row in cells]
