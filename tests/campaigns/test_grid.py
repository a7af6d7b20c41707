"""The targets grid: one cell at a time, the whole grid as a form, rows pasted from Excel, XLSX out and in."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from portal.campaigns.xlsx import MIME
from portal.extensions import db

from .. import factories as base
from . import factories
from .helpers import HTMX_GRID, audit, target_count, values, vi

HEADER = ["Mã", "Tên", "Tham gia BHXH TN mới", "Tham gia BHYT HGĐ mới", "Tái tục", "Số hội nghị", "Số người dự"]


def _url(campaign, world, action: str = "") -> str:
    return f"/campaigns/{campaign.id}/targets{action}?level=commune&office={world.own.office.id}"


def _cell(client, url, subject, value, metric="renewals", headers=HTMX_GRID):
    return client.post(url, data={"subject": str(subject.id), "metric": metric, "value": value}, headers=headers)


def _upload(client, url, rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return client.post(url, data={"file": (io.BytesIO(buffer.getvalue()), "chi-tieu.xlsx")},
                       content_type="multipart/form-data")


def _error(line: int, column: str, reason: str) -> str:
    """One row of a paste or import error table."""
    return f'<td class="num row-number">{line}</td><td>{column}</td><td>{reason}</td>'


def test_grid_cell_saves_and_warns_on_mismatch(client, auth, world):
    campaign, commune, office = world.campaign_own, world.own.commune, world.own.office
    factories.targets(campaign, "office", office.id, renewals=10)
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "/cell")
    response = _cell(client, url, commune, "4")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    footer = html[html.index('<tfoot id="totals" hx-swap-oob="true">'):]
    assert '<td class="num">4</td>' in footer.split("</tr>")[0]  # the renewals total, updated with the cell
    assert '<td class="num off">−6</td>' in html  # the communes' 4 against the office's 10
    assert vi("These do not add up to the office's targets:") in html and "<strong>−6</strong>" in html
    assert values(campaign.id) == {(commune.id, "renewals"): 4}
    [entry] = audit("campaign.targets", campaign.id)
    assert entry.details == {"level": "commune", "source": "cell", "changes": 1, "office": office.id,
                             "subject": commune.id, "metric": "renewals", "value": 4}
    assert _cell(client, url, commune, "4").status_code == 200 and len(audit("campaign.targets")) == 1  # no change
    even = _cell(client, url, commune, "10").get_data(as_text=True)
    assert vi("These do not add up to the office's targets:") not in even and "−" not in even
    # Office targets are the province's to set.
    office_url = f"/campaigns/{campaign.id}/targets/cell?level=office"
    assert _cell(client, office_url, office, "1").status_code == 403
    assert values(campaign.id, "office") == {(office.id, "renewals"): 10}


@pytest.mark.parametrize(("raw", "reason"), [
    ("-3", "A target cannot be negative."),
    ("abc", "Enter a whole number, 0 or more."),
    ("2,5", "Enter a whole number, 0 or more."),
    ("=A1+1", "Formulas are not accepted: type the number itself."),
])
def test_a_bad_cell_is_refused_with_422_and_saves_nothing(client, auth, world, raw, reason):
    campaign, commune = world.campaign_own, world.own.commune
    factories.targets(campaign, "commune", commune.id, renewals=4)
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "/cell")
    response = _cell(client, url, commune, raw)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in html
    assert f'id="m-{commune.id}-renewals" class="cell-msg error" hx-swap-oob="true">{vi(reason)}<' in html
    assert 'id="totals"' not in html  # totals and warnings are only sent for a saved cell
    # Without JavaScript the whole grid comes back, the typed text kept and marked.
    page = client.post(url, data={"subject": str(commune.id), "metric": "renewals", f"v-{commune.id}-renewals": raw})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "<html" in html and vi(reason) in html
    assert f'name="v-{commune.id}-renewals" value="{raw}"' in html and 'aria-invalid="true"' in html
    assert values(campaign.id) == {(commune.id, "renewals"): 4} and not audit("campaign.targets")


def test_whole_grid_form_and_export(client, auth, world):
    campaign, office = world.campaign_own, world.own.office
    auth.login(world.users["local_officer"])
    c1, c2 = world.own.commune.id, world.own.commune2.id
    url = _url(campaign, world)
    bad = client.post(url, data={f"v-{c1}-new_bhxh_tn": "12", f"v-{c2}-new_bhxh_tn": "1,5", f"v-{c2}-renewals": "-1"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and target_count() == 0
    assert vi("Nothing was saved: %(n)d cells need a whole number, 0 or more.", n=2) in html
    assert html.count('aria-invalid="true"') == 2 and 'value="1,5"' in html and 'value="12"' in html
    response = client.post(url, data={f"v-{c1}-new_bhxh_tn": "12", f"v-{c2}-new_bhxh_tn": "1.500"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/campaigns/{campaign.id}/targets?level=commune&office={office.id}")
    assert values(campaign.id) == {(c1, "new_bhxh_tn"): 12, (c2, "new_bhxh_tn"): 1500}
    assert audit("campaign.targets", campaign.id)[0].details == {"level": "commune", "source": "grid", "changes": 2,
                                                                 "office": office.id}
    grid = client.get(response.headers["Location"]).get_data(as_text=True)
    assert vi("%(n)d targets were saved.", n=2) in grid and f'name="v-{c2}-new_bhxh_tn" value="1500"' in grid
    export = client.get(_url(campaign, world).replace("/targets?", "/targets.xlsx?"))
    assert export.status_code == 200 and export.mimetype == MIME
    assert f'filename="chi-tieu-{campaign.id}-commune-{office.code}.xlsx"' in export.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert {r[0]: r[1:] for r in rows[1:]} == {world.own.commune.code: (world.own.commune.name, 12, 0, 0, 0, 0),
                                               world.own.commune2.code: (world.own.commune2.name, 1500, 0, 0, 0, 0)}
    assert audit("campaign.targets_export", campaign.id)[0].details == {"level": "commune", "office": office.id,
                                                                        "rows": 2}
    # A local officer's whole-grid form cannot reach the office level.
    office_grid = client.post(f"/campaigns/{campaign.id}/targets?level=office", data={f"v-{office.id}-renewals": "5"})
    assert office_grid.status_code == 403 and values(campaign.id, "office") == {}


def test_a_closed_campaigns_grid_refuses_edits(client, auth, world):
    campaign, commune = world.campaign_own, world.own.commune
    factories.targets(campaign, "commune", commune.id, renewals=4)
    campaign.status = "closed"
    db.session.commit()
    for role in ("local_officer", "province_officer"):
        auth.login(world.users[role])
        page = client.get(_url(campaign, world))
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and re.search(r'<td class="num">\s*4\s*</td>', html)
        assert vi("This campaign is closed: its targets can no longer be changed.") in html
        assert 'name="v-' not in html and "/targets/paste" not in html and "/targets/import" not in html
        attempts = [
            _cell(client, _url(campaign, world, "/cell"), commune, "9"),
            client.post(_url(campaign, world), data={f"v-{commune.id}-renewals": "9"}),
            client.post(_url(campaign, world, "/paste"), data={"text": f"{commune.code}\t9", "apply": "1"}),
            client.get(_url(campaign, world, "/import")),
            _upload(client, _url(campaign, world, "/import"), [HEADER, [commune.code, "", 9]]),
            _cell(client, f"/campaigns/{campaign.id}/targets/cell?level=office", world.own.office, "9"),
        ]
        assert [r.status_code for r in attempts] == [403] * len(attempts)
        auth.logout()
    assert values(campaign.id) == {(commune.id, "renewals"): 4} and target_count() == 1
    assert not audit("campaign.targets")


def test_paste_previews_then_applies(client, auth, world):
    campaign, c1, c2 = world.campaign_own, world.own.commune, world.own.commune2
    factories.targets(campaign, "commune", c1.id, renewals=4, attendees=100)
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "/paste")
    text = ("Mã\tTên\tBHXH TN\tBHYT HGĐ\tTái tục\tHội nghị\tNgười dự\n"  # headings copied with the rows
            f"{c1.code}\t{c1.name}\t5\t\t3\n"  # code and name, then the metrics; empty cells keep the target
            "xa nghia lo hai\t1.500\t\t\t2\r\n")  # the name alone, typed without diacritics
    preview = client.post(url, data={"text": text})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert vi("%(n)d targets will change. Check them, then apply.", n=4) in html
    assert vi("The first line was read as column headings and skipped.") in html
    assert "<del>4</del> <ins>3</ins>" in html and "<del>0</del> <ins>1.500</ins>" in html
    assert 'name="apply" value="1"' in html
    assert values(campaign.id) == {(c1.id, "renewals"): 4, (c1.id, "attendees"): 100}  # nothing saved yet
    applied = client.post(url, data={"text": text, "apply": "1"})
    assert applied.status_code == 303 and applied.headers["Location"].endswith(_url(campaign, world))
    assert values(campaign.id) == {(c1.id, "new_bhxh_tn"): 5, (c1.id, "renewals"): 3, (c1.id, "attendees"): 100,
                                   (c2.id, "new_bhxh_tn"): 1500, (c2.id, "conferences"): 2}
    assert audit("campaign.targets", campaign.id)[0].details["source"] == "paste"
    assert vi("%(n)d targets were saved.", n=4) in client.get(applied.headers["Location"]).get_data(as_text=True)


def test_paste_errors_by_line_and_column_save_nothing(client, auth, world):
    campaign, c1, c2 = world.campaign_own, world.own.commune, world.own.commune2
    c3 = base.make_commune(world.own.province, "Xã Nghĩa Lộ Ba", office=world.own.office)
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "/paste")
    text = "\n".join([
        f"{c1.code}\t{c1.name}\t5\t=A1\t3",  # a formula
        "99999\t1\t2",  # an unknown code
        f"{c2.code}\t7\t-2",  # a negative target
        f"{c1.code}\t1",  # the same row again
        f"{c3.code}\t1\t2\t3\t4\t5\t6",  # a column too many
        "\t5",  # no name
    ])
    for data in ({"text": text}, {"text": text, "apply": "1"}):
        response = client.post(url, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and 'name="apply"' not in html
        assert vi("Nothing was saved. Correct these lines and check again:") in html
        hgd = vi("New household health insurance participants")
        assert _error(1, f"D ({hgd})", vi("Formulas are not accepted: type the number itself.") + " (=A1)") in html
        assert _error(2, "A", vi("“%(name)s” is not one of the rows of this grid.", name="99999")) in html
        assert _error(3, f"C ({hgd})", vi("A target cannot be negative.") + " (-2)") in html
        assert _error(4, "A", vi("“%(name)s” is already on line %(line)d.", name=c1.code, line=1)) in html
        too_many = "Too many columns: after the name come at most %(n)d numbers, in the order of the grid."
        assert _error(5, "G", vi(too_many, n=5)) in html
        assert _error(6, "A", vi("The name or code is missing.")) in html
        assert vi("The first line was read as column headings and skipped.") not in html
    assert target_count() == 0 and not audit("campaign.targets")
    empty = client.post(url, data={"text": ""})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and vi("Paste at least one row.") in html and '<details class="paste-box" open>' in html


def test_a_formula_or_typo_in_the_first_metric_column_is_refused(client, auth, world):
    campaign, commune = world.campaign_own, world.own.commune
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "/paste")
    for text in (f"{commune.code}\t=SUM(B2:B3)\t3", f"{commune.code}\t1O\t3"):
        assert client.post(url, data={"text": text}).status_code == 422
        client.post(url, data={"text": text, "apply": "1"})
        assert target_count() == 0


def test_targets_import_reports_then_saves(client, auth, world):
    campaign, commune = world.campaign_own, world.own.commune
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "/import")
    bad = _upload(client, url, [["CHỈ TIÊU THÁNG VẬN ĐỘNG"], HEADER, [commune.code, "", -1, "abc", None, None, None],
                                ["99999", "Xã Lạ", 1, 1, 1, 1, 1]])
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and target_count() == 0
    assert _error(3, "C (Tham gia BHXH TN mới)", vi("A target cannot be negative.") + " (-1)") in html
    assert _error(3, "D (Tham gia BHYT HGĐ mới)", vi("Enter a whole number, 0 or more.") + " (abc)") in html
    unknown = vi("Unknown code “%(code)s”: it is not one of the rows of this grid.", code="99999")
    assert _error(4, "A (Mã)", unknown) in html
    good = _upload(client, url, [HEADER, [commune.code, "", 30, 20, None, 2, 150]])
    assert good.status_code == 200 and target_count() == 0  # a report first
    assert vi("%(file)s: %(rows)d rows read, %(n)d targets change. Nothing is saved until you confirm.",
              file="chi-tieu.xlsx", rows=1, n=4) in good.get_data(as_text=True)
    saved = client.post(url, data={"confirm": "1"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith(_url(campaign, world))
    assert values(campaign.id) == {(commune.id, "new_bhxh_tn"): 30, (commune.id, "new_bhyt_hgd"): 20,
                                   (commune.id, "conferences"): 2, (commune.id, "attendees"): 150}
    assert audit("campaign.targets", campaign.id)[0].details["source"] == "import"
    again = client.post(url, data={"confirm": "1"})  # the file was used up
    assert again.status_code == 303 and "/targets/import" in again.headers["Location"]
    assert len(audit("campaign.targets")) == 1


def test_import_with_a_formula_or_bad_cell_reports_it_and_writes_nothing(client, auth, world):
    campaign, c1, c2 = world.campaign_own, world.own.commune, world.own.commune2
    factories.targets(campaign, "commune", c1.id, renewals=4)
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "/import")
    response = _upload(client, url, [["Mã", "Tên", "Tham gia BHXH TN mới", "Tái tục"],
                                     [c1.code, "", "=1+1", 2.5],
                                     ["=A2", "", 3, 3],
                                     [c2.code, "", 5, None]])  # a good row: not written either
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert vi("Nothing was written. Fix these cells in %(file)s and upload it again.", file="chi-tieu.xlsx") in html
    assert _error(2, "C (Tham gia BHXH TN mới)", vi("Formulas are not accepted: type the number itself.")) in html
    assert _error(2, "D (Tái tục)", vi("Enter a whole number, 0 or more.") + " (2.5)") in html
    assert _error(3, "A (Mã)", vi("Formulas are not accepted: type the code itself.")) in html
    assert values(campaign.id) == {(c1.id, "renewals"): 4}
    confirm = client.post(url, data={"confirm": "1"})  # nothing was kept to confirm
    assert confirm.status_code == 303 and values(campaign.id) == {(c1.id, "renewals"): 4}
    assert not audit("campaign.targets")


def test_an_unknown_first_line_is_reported_not_skipped_as_headings(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post(_url(world.campaign_own, world, "/paste"), data={"text": "Xã Lạ\tabc"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error(1, "A", vi("“%(name)s” is not one of the rows of this grid.", name="Xã Lạ")) in html
    assert vi("The first line was read as column headings and skipped.") not in html


def test_a_refused_upload_replaces_the_file_waiting_for_confirmation(client, auth, world):
    campaign, commune = world.campaign_own, world.own.commune
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "/import")
    assert _upload(client, url, [HEADER, [commune.code, "", 30, 20, None, 2, 150]]).status_code == 200
    assert _upload(client, url, [HEADER, [commune.code, "", -1, 20, None, 2, 150]]).status_code == 422
    response = client.post(url, data={"confirm": "1"})
    assert response.status_code == 303 and response.headers["Location"].startswith(f"/campaigns/{campaign.id}/")
    assert target_count() == 0  # the first, clean file is not written behind the user's back
