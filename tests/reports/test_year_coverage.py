"""The year's work (every channel, campaigns as periods of the year), coverage against labour force and population,
the coverage figures' page and import, and the periodic results report (page, XLSX, PDF).

The data, built by hand (the campaign runs 1-31 May 2026):

- own office, commune C1: head 1 signed up for BHXH TN at an event on 10 May (confirmed), and for BHYT HGĐ door
  to door on 3 December (confirmed); head 2 renewed at a counter on 4 December (confirmed, 500.000 đồng) and
  signed up online on 1 July (recorded only: it does not count). Heads 1 and 2 participate in BHXH TN; head 1 has
  a valid card; head 3 stopped paying, paid until 2 December.
- near office, commune N1: its head signed up online on 1 August (confirmed) and participates.
- figures for 2026: C1 labour force 100, population 400; C2 none. Province target: 1,5 % and 10 %.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.scope import Place
from portal.campaigns.models import CommuneFigures, CoverageTarget
from portal.extensions import db
from portal.geo import facts as commune_facts
from portal.reports import coverage, queries
from portal.reports import year as year_report
from portal.reports.periodic import bounds
from portal.results.models import SignUp

from .. import factories
from ..campaigns.helpers import vi

TODAY = date(2026, 12, 6)


def _signup(person, *, channel, day, scheme="bhxh_tn", kind="new", status="confirmed", net=264_000):
    db.session.add(SignUp(person_id=person.id, household_id=person.household_id, commune_id=person.commune_id,
                          scheme=scheme, kind=kind, channel=channel, amount_due=net, net=net, computed_net=net,
                          signed_on=day, status=status))


@pytest.fixture
def data(world):
    own, near = world.own, world.near
    campaign = world.campaign_own
    campaign.starts_on, campaign.ends_on, campaign.status = date(2026, 5, 1), date(2026, 5, 31), "active"
    _h1, head1 = factories.make_household(own.hamlet, "Chủ Hộ Một", address="Số 1")
    _h2, head2 = factories.make_household(own.hamlet, "Chủ Hộ Hai", address="Số 2")
    _h3, head3 = factories.make_household(own.hamlet, "Chủ Hộ Ba", address="Số 3")
    _n1, near_head = factories.make_household(near.hamlet, "Người Xã Bên", address="Số 1")
    head1.bhxh_tn_status, head1.bhyt_expires_on = "participating", date(2030, 1, 1)
    head2.bhxh_tn_status = "participating"
    head3.bhxh_tn_status, head3.paid_until = "stopped", date(2026, 12, 2)
    near_head.bhxh_tn_status = "participating"
    _signup(head1, channel="event", day=date(2026, 5, 10))
    _signup(head1, channel="door", day=date(2026, 12, 3), scheme="bhyt_hgd")
    _signup(head2, channel="counter", day=date(2026, 12, 4), kind="renewal", net=500_000)
    _signup(head2, channel="online", day=date(2026, 7, 1), status="recorded")
    _signup(near_head, channel="online", day=date(2026, 8, 1))
    db.session.add(CommuneFigures(commune_id=own.commune.id, year=2026, labour_force=100, population=400))
    db.session.add(CoverageTarget(province_id=own.province.id, year=2026, bhxh_tn_share=150, bhyt_share=1000))
    db.session.commit()
    return world


def _province(world) -> Place:
    return Place("office", [world.own.office, world.near.office])


# --- queries ---------------------------------------------------------------------------------------------------

def test_counts_by_channel_count_every_confirmed_signup_once(data):
    window = year_report.year_window(data.own.province.id, 2026)
    found = queries.by_channel(window)
    assert found["event"] == {"new_bhxh_tn": 1, "new_bhyt_hgd": 0, "renewals": 0, "amount": 264_000}
    assert found["door"]["new_bhyt_hgd"] == 1
    assert found["counter"] == {"new_bhxh_tn": 0, "new_bhyt_hgd": 0, "renewals": 1, "amount": 500_000}
    assert found["online"]["new_bhxh_tn"] == 1  # the near office's; the recorded one does not count
    own_only = queries.by_channel(window, queries.Commune.office_id == data.own.office.id)
    assert "online" not in own_only


def test_the_year_shows_the_campaign_as_one_period_and_the_work_outside_it(data):
    summary = year_report.summary(data.own.province.id, 2026, _province(data), TODAY)
    total = summary["total"]
    assert (total.new_bhxh_tn, total.new_bhyt_hgd, total.renewals, total.amount) == (2, 1, 1, 1_292_000)
    [may] = summary["periods"]
    assert may.campaign.id == data.campaign_own.id and may.tally.new_bhxh_tn == 1 and may.tally.total == 1
    outside = summary["outside"].tally
    assert (outside.new_bhxh_tn, outside.new_bhyt_hgd, outside.renewals) == (1, 1, 1)
    assert summary["outside_days"] == 365 - 31
    december = summary["months"][11].tally
    assert (december.new_bhyt_hgd, december.renewals) == (1, 1)
    assert summary["channels"]["counter"].amount == 500_000
    lines = {item["line"].subject_id: item for item in summary["lines"]}
    assert lines[data.own.office.id]["tally"]["new_bhxh_tn"] == 1
    assert lines[data.near.office.id]["tally"]["new_bhxh_tn"] == 1


def test_coverage_is_participants_in_force_against_labour_force_and_population(data):
    found = coverage.coverage(data.own.province.id, 2026, _province(data), TODAY)
    own = next(line for line in found.lines if line.subject_id == data.own.office.id)
    assert (own.bhxh_tn, own.labour_force, own.bhyt, own.population) == (2, 100, 1, 400)
    assert own.bhxh_tn_percent == pytest.approx(2.0) and own.bhyt_percent == pytest.approx(0.25)
    near = next(line for line in found.lines if line.subject_id == data.near.office.id)
    assert near.bhxh_tn == 1 and near.labour_force is None and near.bhxh_tn_percent is None
    assert found.total.bhxh_tn == 3 and found.total.labour_force == 100
    assert (found.goal.bhxh_tn, found.goal.bhyt) == (1.5, 10.0)
    communes = coverage.coverage(data.own.province.id, 2026, Place("commune", [data.own.office], data.own.office),
                                 TODAY)
    assert [line.name for line in communes.lines] == sorted([data.own.commune.name, data.own.commune2.name])
    assert coverage.counted_day(2025, TODAY) == date(2025, 12, 31)


def test_periods_of_the_periodic_report():
    assert bounds("week", date(2026, 12, 3)) == (date(2026, 11, 30), date(2026, 12, 6))
    assert bounds("month", date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))


# --- pages -----------------------------------------------------------------------------------------------------

def test_year_page_by_office_then_by_commune(client, auth, data):
    auth.login(data.users["province_officer"])
    page = client.get("/reports/year?year=2026")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert data.own.office.name in text and vi("Outside any campaign") in text and "2,0%" in text
    auth.login(data.users["local_officer"])
    page = client.get("/reports/year?year=2026").get_data(as_text=True)
    assert data.own.commune.name in page and data.near.office.name not in page


def test_year_page_refuses_an_office_out_of_sight(client, auth, data):
    auth.login(data.users["local_officer"])
    assert client.get(f"/reports/year?office={data.near.office.id}").status_code == 404


def test_home_shows_the_year(client, auth, data):
    auth.login(data.users["province_officer"])
    text = client.get("/").get_data(as_text=True)
    assert 'class="this-year"' in text and "/reports/year" in text


def test_campaign_dashboard_shows_channels_and_coverage(client, auth, data):
    auth.login(data.users["province_officer"])
    text = client.get(f"/reports/campaigns/{data.campaign_own.id}").get_data(as_text=True)
    assert 'class="campaign-coverage"' in text and 'class="campaign-channels"' in text and "2,0%" in text


def _figures(commune_id, year=2026):
    return db.session.execute(select(CommuneFigures.labour_force, CommuneFigures.population).where(
        CommuneFigures.commune_id == commune_id, CommuneFigures.year == year)).first()


def test_figures_are_entered_and_audited(client, auth, data):
    auth.login(data.users["local_officer"])
    c2 = data.own.commune2
    response = client.post("/campaigns/coverage?year=2026", data={f"labour_force-{c2.id}": "1.250",
                                                                  f"population-{c2.id}": "2000"})
    assert response.status_code == 303
    assert tuple(_figures(c2.id)) == (1250, 2000)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "coverage.figures"))
    assert entry.details["source"] == "form" and entry.details["values"] == 2


def test_bad_figures_save_nothing(client, auth, data):
    auth.login(data.users["local_officer"])
    c1, c2 = data.own.commune, data.own.commune2
    response = client.post("/campaigns/coverage?year=2026", data={f"labour_force-{c1.id}": "-5",
                                                                  f"population-{c2.id}": "abc",
                                                                  f"labour_force-{c2.id}": "300"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert vi("A figure cannot be negative.") in text and vi("Enter a whole number, 0 or more.") in text
    assert tuple(_figures(c1.id)) == (100, 400) and _figures(c2.id) is None


def test_only_planners_set_the_coverage_target(client, auth, data):
    auth.login(data.users["local_officer"])
    assert client.post("/campaigns/coverage?year=2026", data={"goal": "1", "bhxh_tn_share": "3"}).status_code == 403
    auth.login(data.users["province_officer"])
    refused = client.post("/campaigns/coverage?year=2026", data={"goal": "1", "bhxh_tn_share": "150"})
    assert refused.status_code == 422 and vi("Enter a percentage between 0 and 100, e.g. 12,5.") in refused.get_data(
        as_text=True)
    saved = client.post("/campaigns/coverage?year=2026", data={"goal": "1", "bhxh_tn_share": "2,5",
                                                               "bhyt_share": "12 %"})
    assert saved.status_code == 303
    target = db.session.scalar(select(CoverageTarget).where(CoverageTarget.year == 2026,
                                                            CoverageTarget.province_id == data.own.province.id))
    assert (target.bhxh_tn_share, target.bhyt_share) == (250, 1200)


def test_a_viewer_reads_the_figures_but_does_not_enter_them(client, auth, data):
    auth.login(data.users["viewer"])
    page = client.get("/campaigns/coverage?year=2026")
    assert page.status_code == 200 and 'name="labour_force-' not in page.get_data(as_text=True)
    c2 = data.own.commune2
    assert client.post("/campaigns/coverage?year=2026", data={f"labour_force-{c2.id}": "5"}).status_code == 403


def _upload(client, url, rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return client.post(url, data={"file": (io.BytesIO(buffer.getvalue()), "lao-dong.xlsx")},
                       content_type="multipart/form-data")


def test_the_template_is_the_grid(client, auth, data):
    auth.login(data.users["local_officer"])
    response = client.get("/campaigns/coverage.xlsx?year=2026")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Mã xã", "Tên xã", "Cơ quan BHXH", "Lực lượng lao động", "Dân số")
    c1 = next(r for r in rows if r[0] == data.own.commune.code)
    assert c1[3:] == (100, 400) and isinstance(c1[3], int)


def test_import_refuses_a_malformed_file_by_row_and_column_and_writes_nothing(client, auth, data):
    auth.login(data.users["local_officer"])
    c1, c2 = data.own.commune, data.own.commune2
    url = "/campaigns/coverage/import?year=2026"
    response = _upload(client, url, [
        ["Mã xã", "Tên xã", "Lực lượng lao động", "Dân số"],
        [c2.code, c2.name, 300, 800],
        ["99999", "Xã Lạ", 5, 5],
        [c1.code, c1.name, -3, "=B2*2"],
        [data.near.commune.code, data.near.commune.name, 10, 10],
    ])
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert '<td class="num row-number">3</td><td>A (Mã xã)</td>' in text
    assert '<td class="num row-number">4</td><td>C (Lực lượng lao động)</td>' in text
    assert '<td class="num row-number">4</td><td>D (Dân số)</td>' in text
    assert '<td class="num row-number">5</td><td>A (Mã xã)</td>' in text  # another office's commune
    assert vi("Nothing was written. Fix these cells in %(file)s and upload it again.", file="lao-dong.xlsx") in text
    assert _figures(c2.id) is None and tuple(_figures(c1.id)) == (100, 400)
    assert client.post(url, data={"confirm": "1"}).status_code in (303, 422)  # nothing was kept to confirm
    assert _figures(c2.id) is None


def test_import_previews_then_saves(client, auth, data):
    auth.login(data.users["local_officer"])
    c1, c2 = data.own.commune, data.own.commune2
    url = "/campaigns/coverage/import?year=2026"
    preview = _upload(client, url, [["Mã xã", "Lực lượng lao động", "Dân số"], [c2.code, "1.300", 2600],
                                    [int(c1.code), None, 450]])
    assert preview.status_code == 200 and _figures(c2.id) is None
    saved = client.post(url, data={"confirm": "1"})
    assert saved.status_code == 303
    assert tuple(_figures(c2.id)) == (1300, 2600) and tuple(_figures(c1.id)) == (100, 450)


def test_import_of_a_file_that_is_not_a_spreadsheet(client, auth, data):
    auth.login(data.users["local_officer"])
    response = client.post("/campaigns/coverage/import?year=2026",
                           data={"file": (io.BytesIO(b"not a workbook"), "lao-dong.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and 'class="flash flash-error"' in response.get_data(as_text=True)


def test_periodic_report_page_for_a_commune(client, auth, data):
    auth.login(data.users["local_officer"])
    page = client.get(f"/reports/periodic?period=month&on=2026-12-10&commune={data.own.commune.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Tháng 12 năm 2026" in text and "Ủy ban nhân dân " in text
    assert client.get(f"/reports/periodic?commune={data.near.commune.id}").status_code == 404


def test_periodic_report_xlsx_has_typed_cells_and_is_audited(client, auth, data):
    commune = data.own.commune
    commune_facts.record(commune, fact="island", value=True, effective_from=date(2026, 1, 1), source="QĐ 1")
    commune_facts.record(commune, fact="new_rural", value=True, effective_from=date(2026, 11, 1), source="QĐ 2")
    commune_facts.record(commune, fact="escaped_poverty", value=True, effective_from=date(2027, 1, 1), source="QĐ 3")
    db.session.commit()
    auth.login(data.users["local_officer"])
    response = client.get("/reports/periodic.xlsx?period=month&on=2026-12-10")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Kết quả trong kỳ theo xã" and book.sheetnames[2] == "Kết quả trong kỳ theo hình thức"
    rows = list(book["Kết quả trong kỳ theo xã"].iter_rows())
    c1 = next(r for r in rows if r[1].value == data.own.commune.name)
    # new BHXH TN, new BHYT HGĐ, renewals, lapsed BHXH TN, lapsed BHYT, amount: numbers, not text
    assert [c.value for c in c1[2:8]] == [0, 1, 1, 1, 0, 764_000]
    assert all(c.data_type == "n" and not c.quotePrefix for c in c1[2:8])
    assert c1[8].value == "Xã đảo, đặc khu; Đạt chuẩn nông thôn mới"  # the commune's facts on the last day
    assert rows[-1][1].value == "Tổng cộng" and rows[-1][8].value in (None, "")
    channels = {r[1].value: r for r in book["Kết quả trong kỳ theo hình thức"].iter_rows()}
    assert channels["Tại điểm thu, quầy bưu điện"][5].value == 500_000
    cover = list(book.worksheets[1].iter_rows(values_only=True))
    c1_cover = next(r for r in cover if r[1] == data.own.commune.name)
    assert c1_cover[2:5] == (2, 100, 0.02)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.periodic_report"))
    assert entry.details["format"] == "xlsx"


def test_periodic_report_pdf_is_an_official_document(client, auth, data):
    auth.login(data.users["local_officer"])
    response = client.get(f"/reports/periodic.pdf?period=week&on=2026-12-03&commune={data.own.commune.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "/BC-BHXH", "Kính gửi: Ủy ban nhân dân",
                     "Tuần từ ngày 30/11/2026 đến ngày 06/12/2026", "Nơi nhận", "GIÁM ĐỐC"):
        assert expected.lower() in text.lower(), expected
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "print.periodic_report")) is not None


def test_an_event_attached_to_the_campaign_counts_on_its_dashboard_whenever_it_was_held(data):
    from datetime import UTC, datetime

    from portal.geo.models import Commune

    campaign = data.campaign_own
    december = factories.make_event(data.own.commune, data.own.office, title="Hội nghị tháng 12",
                                    starts_at=datetime(2026, 12, 3, 1, tzinfo=UTC), status="held",
                                    campaign_id=campaign.id)
    _h, person = factories.make_household(data.own.hamlet2, "Người Tháng Mười Hai", address="Số 12")
    _signup(person, channel="event", day=date(2026, 12, 3))
    db.session.flush()
    db.session.execute(SignUp.__table__.update().where(SignUp.person_id == person.id).values(
        event_id=december.id))
    db.session.commit()
    mine = Commune.office_id == data.own.office.id
    found = queries.counts(campaign, "commune", mine).by_key[data.own.commune.id]
    assert found["new_bhxh_tn"] == 2 and found["conferences"] == 1  # May's sign-up, and December's conference
    assert queries.counts(campaign, "office").by_key[data.own.office.id]["new_bhxh_tn"] == 2
    window = queries.window_of(campaign)
    assert queries.counts(window, "commune", mine).by_key[data.own.commune.id]["new_bhxh_tn"] == 1  # the days only
