"""The whole journey of a May campaign in Chromium, through the real pages, as the user guide tells it.

An administrator sets up the offices, the agents and the accounts; the province officer creates the May campaign;
the local officer imports households, schedules a conference, builds the pre-visit list and splits it; the agent
records visits on a phone and prints invitations; people are checked in on the day; the results are entered and
confirmed; the campaign dashboard shows them against the targets.

Only what an installation does from the command line comes from factories: the geography (``flask geo load``,
hamlets), the contribution parameters (``flask policy seed``) and the first administrator (``flask users create``).

Every step saves screenshots. With ``PORTAL_GUIDE_SCREENSHOTS`` set to a folder, they are also written there
for the user guide (docs/guide.md, docs/vi/huong-dan.md)::

    CI=true PORTAL_GUIDE_SCREENSHOTS=docs/img .venv/bin/pytest -q -p no:cacheprovider tests/browser/test_journey.py
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from pypdf import PdfReader
from sqlalchemy import select

from portal.auth import roles
from portal.extensions import db

from .. import factories
from .conftest import SCREENSHOTS

#: Guide pictures larger than this are taken again as what the screen shows (not the whole page).
GUIDE_MAX_BYTES = 400_000
NEW_PASSWORD = "Ra-quan-thang-5!"  # noqa: S105 - a test account's password, set through the user form
PDF, XLSX = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The households of the registry file the local officer imports (one row per person).
REGISTRY = [
    ("Họ và tên", "Ngày sinh", "Giới tính", "Số điện thoại", "Thôn/Tổ", "Địa chỉ", "Quan hệ với chủ hộ"),
    ("Nguyễn Văn Bình", "12/04/1982", "Nam", "0987111222", "Thôn Khe Cam", "Nhà 12", "Chủ hộ"),
    ("Phạm Thị Hạnh", "03/09/1985", "Nữ", "", "Thôn Khe Cam", "Nhà 12", "Vợ"),
    ("Đặng Văn Sơn", "20/01/1979", "Nam", "0978333444", "Thôn Khe Cam", "Nhà 15", "Chủ hộ"),
    ("Vàng Thị Dua", "15/06/1990", "Nữ", "", "Thôn Khe Cam", "Nhà 21", "Chủ hộ"),
    ("Lò Thị Ún", "08/11/1975", "Nữ", "0966555666", "Thôn Nà Chành", "Nhà 3", "Chủ hộ"),
    ("Hoàng Văn Chư", "30/07/1988", "Nam", "", "Thôn Nà Chành", "Nhà 7", "Chủ hộ"),
]


@dataclass
class Journey:
    """What the story creates, by name, and the ids the later steps need."""

    communes: dict = field(default_factory=dict)
    hamlets: dict = field(default_factory=dict)
    admin: str = ""
    province_office: str = "Bảo hiểm xã hội tỉnh Lào Cai"
    office: str = "Bảo hiểm xã hội cơ sở Văn Bàn"
    organisation: str = "Bưu điện xã Văn Bàn"
    agents: tuple = ("Hoàng Thị Mai", "Lò Văn Páo")
    province_officer: tuple = ("lan.tinh", "Nguyễn Thị Lan")
    local_officer: tuple = ("hung.coso", "Trần Văn Hùng")
    agent_user: tuple = ("mai.daily", "Hoàng Thị Mai")
    campaign_id: int = 0
    year: int = 0
    event_id: int = 0
    event_title: str = "Hội nghị tuyên truyền BHXH tự nguyện thôn Khe Cam"
    speaker: tuple = ("Nguyễn Thị Thu Hà", "Phó Giám đốc BHXH cơ sở Văn Bàn")


# Helpers --------------------------------------------------------------------------------------------------

def guide_shot(page, name: str) -> Path:
    """Save a screenshot as the other browser tests do and, for the guide, copy it to PORTAL_GUIDE_SCREENSHOTS
    (what the screen shows instead when the whole page makes too big a picture)."""
    path = page.screenshot(name)
    folder = os.environ.get("PORTAL_GUIDE_SCREENSHOTS")
    if folder:
        target = Path(folder) / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.stat().st_size > GUIDE_MAX_BYTES:
            page.page.screenshot(path=str(target), full_page=False)
        else:
            shutil.copyfile(path, target)
    return path


def guide_print(name: str, pdf: bytes, folder: Path) -> None:
    """A picture of a PDF's first page for the guide (only where poppler's pdftoppm is installed)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool, "-png", "-singlefile", "-f", "1", "-l", "1", "-scale-to", "900", str(source),
                    str(SCREENSHOTS / name)], check=True, timeout=60)
    guide = os.environ.get("PORTAL_GUIDE_SCREENSHOTS")
    if guide:
        Path(guide).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SCREENSHOTS / f"{name}.png", Path(guide) / f"{name}.png")


def sign_in(page, username: str, password: str) -> None:
    page.login(username, password)
    assert page.page.url.rstrip("/") == page.base_url, f"{username} could not sign in"


def sign_out(page) -> None:
    page.page.click("header form[action$='/logout'] button")
    page.page.wait_for_url("**/login")


def flash(page) -> str:
    # A save answers with a redirect to a page showing the message; on a busy machine that can take a while.
    page.page.locator(".flash-success").first.wait_for(timeout=30_000)
    return page.page.inner_text("#messages")


def fetch(page, path: str, content_type: str):
    """GET a file with the browser's session; check the status and the type, return the body."""
    response = page.page.request.get(page.base_url + path)
    assert response.status == 200, f"{path}: {response.status}"
    assert response.headers["content-type"].startswith(content_type), response.headers["content-type"]
    return response.body()


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def registry_file(folder: Path) -> Path:
    workbook = Workbook()
    workbook.active.append(["DANH SÁCH HỘ GIA ĐÌNH XÃ VĂN BÀN"])
    for row in REGISTRY:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = folder / "ho-gia-dinh-van-ban.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def row_of(page, table_rows: str, text: str):
    return page.page.locator(table_rows).filter(has_text=text).first


# Before the story: what the installation commands load ----------------------------------------------------

def install(journey: Journey) -> None:
    from portal.policy.services import seed_shipped

    province = factories.make_province("15", "Lào Cai")
    for name, hamlets in (("Xã Văn Bàn", ("Thôn Khe Cam", "Thôn Nà Chành")), ("Xã Khánh Yên", ("Thôn Chiềng 1",))):
        commune = factories.make_commune(province, name)
        journey.communes[name] = commune.id
        for hamlet in hamlets:
            journey.hamlets[hamlet] = factories.make_hamlet(commune, hamlet).id
    seed_shipped()
    admin = factories.make_user(roles.ADMIN, username="quantri", full_name="Phạm Quốc Toàn")
    journey.admin = admin.username
    db.session.commit()  # end the test's transaction: the server writes from here on


# 1. The administrator: offices, organisation, agents, accounts ---------------------------------------------

def admin_creates_offices(page, journey: Journey) -> None:
    p = page.page
    for code, name, kind in (("BHXH-15", journey.province_office, "province"),
                             ("BHXH-15-VB", journey.office, "local")):
        page.goto("/org/offices/new")
        p.fill("#code", code)
        p.fill("#name", name)
        p.select_option("#kind", kind)
        if kind == "local":
            for commune in journey.communes:
                p.get_by_label(commune, exact=True).check()
            guide_shot(page, "admin-office-form")
        p.click("main form button[type=submit]")
        p.wait_for_url(re.compile(r"/org/offices/\d+$"))
        assert name in p.inner_text("h1")
    assert "Xã Văn Bàn" in p.inner_text("main") and "Xã Khánh Yên" in p.inner_text("main")
    page.goto("/org/offices")
    assert journey.province_office in p.inner_text("main") and journey.office in p.inner_text("main")
    guide_shot(page, "admin-offices")


def admin_creates_agents(page, journey: Journey) -> None:
    p = page.page
    page.goto("/org/organisations/new")
    p.fill("#name", journey.organisation)
    p.select_option("#kind", "post_office")
    p.select_option("#office_id", label=journey.office)
    p.click("main form button[type=submit]")
    p.wait_for_url("**/org/organisations")
    assert journey.organisation in p.inner_text("main")
    for code, name, phone, hamlet in (("DL001", journey.agents[0], "0912345678", "Thôn Khe Cam"),
                                      ("DL002", journey.agents[1], "0913456789", "Thôn Nà Chành")):
        page.goto("/org/agents/new")
        p.fill("#code", code)
        p.fill("#full_name", name)
        p.fill("#phone", phone)
        p.select_option("#organisation_id", label=journey.organisation)
        p.fill("#trained_on", "10/03/2026")
        p.get_by_label("Xã Văn Bàn", exact=True).check()
        p.get_by_label(f"{hamlet} (Xã Văn Bàn)", exact=True).check()
        if code == "DL001":
            guide_shot(page, "admin-agent-form")
        p.click("main form button[type=submit]")
        p.wait_for_url(re.compile(r"/org/agents/\d+$"))
        assert name in p.inner_text("h1") and hamlet in p.inner_text("main")
    page.goto("/org/agents")
    for name in journey.agents:
        assert name in p.inner_text("main")
    guide_shot(page, "admin-agents")


def admin_creates_users(page, journey: Journey) -> None:
    p = page.page
    accounts = ((journey.province_officer, roles.PROVINCE_OFFICER, journey.province_office, None),
                (journey.local_officer, roles.LOCAL_OFFICER, journey.office, None),
                (journey.agent_user, roles.AGENT, None, f"{journey.agents[0]} (DL001)"))
    for (username, full_name), role, office, agent in accounts:
        page.goto("/admin/users/")
        p.click("main a[href$='/admin/users/new']")
        p.wait_for_url("**/admin/users/new")
        p.fill("#username", username)
        p.fill("#full_name", full_name)
        p.select_option("#role", role)
        if office:
            p.select_option("#office_id", label=office)
        if agent:
            p.select_option("#agent_id", label=agent)
        p.fill("#password", NEW_PASSWORD)
        if role == roles.AGENT:
            guide_shot(page, "admin-user-form")
        p.click("#user-form button[type=submit]")
        p.wait_for_url(re.compile(r"/admin/users/\d+$"))
        assert "Đã tạo tài khoản." in flash(page)
        assert full_name in p.inner_text("h1")
        assert (office or agent) in p.inner_text("dl.facts")
    page.goto("/admin/users/")
    table = p.inner_text("main")
    for username, _name in (journey.province_officer, journey.local_officer, journey.agent_user):
        assert username in table
    guide_shot(page, "admin-users")


def admin_reads_the_audit_log(page) -> None:
    page.goto("/admin/audit/")
    text = page.page.inner_text("main")
    assert "user.create" in text and "office.create" in text
    guide_shot(page, "admin-audit")


# 2. The province officer: the May campaign ----------------------------------------------------------------

def province_officer_creates_the_may_campaign(page, journey: Journey) -> None:
    p = page.page
    username, full_name = journey.province_officer
    sign_in(page, username, NEW_PASSWORD)
    assert f"Xin chào, {full_name}" in p.inner_text("main")
    page.goto("/campaigns/")
    p.click("main a[href$='/campaigns/may-wizard']")
    p.wait_for_url("**/campaigns/may-wizard")
    journey.year = int(p.input_value("#year"))  # the next May
    assert "2 xã" in p.inner_text("#wizard-reach")  # both communes are served by the local office
    p.check("input[name=basis][value=fixed]")
    for metric, value in (("new_bhxh_tn", "5"), ("new_bhyt_hgd", "5"), ("conferences", "2"), ("attendees", "50")):
        p.fill(f"#m_{metric}", value)
    guide_shot(page, "campaign-wizard")
    p.click("#wizard-form button[type=submit]")
    p.locator("table.targets").wait_for()
    assert f"Tháng vận động BHXH toàn dân năm {journey.year}" in p.inner_text("main")
    journey.campaign_id = int(re.search(r"/campaigns/(\d+)/targets", p.url)[1])
    office_row = row_of(page, "table.targets tbody tr", journey.office)
    assert office_row.locator("input[name$='-new_bhxh_tn']").input_value() == "10"  # 5 for each of 2 communes
    guide_shot(page, "campaign-targets")

    page.goto(f"/campaigns/{journey.campaign_id}")
    assert "Nháp" in p.inner_text(".page-head .badge")
    p.click("main form[action$='/status'] button[type=submit]")  # "Open the campaign"
    p.locator(".page-head .badge.status-active").wait_for()
    assert "Đang hoạt động" in flash(page)
    guide_shot(page, "campaign-detail")
    sign_out(page)


# 3. The local officer: households, the conference, the pre-visit list ------------------------------------

def local_officer_imports_households(page, journey: Journey, folder: Path) -> None:
    p = page.page
    sign_in(page, journey.local_officer[0], NEW_PASSWORD)
    page.goto(f"/households/import?commune={journey.communes['Xã Văn Bàn']}")
    p.set_input_files("form.import-upload input[type=file]", str(registry_file(folder)))
    p.click("form.import-upload button[type=submit]")
    p.locator("button[name=confirm]").wait_for()
    assert "Mới: 6" in p.inner_text(".import-counts")
    guide_shot(page, "households-import")
    p.click("button[name=confirm]")
    p.wait_for_url("**/households/?commune=*", wait_until="commit")
    assert "Đã lưu 6 người." in flash(page)
    results = p.inner_text("#results")
    assert "Nguyễn Văn Bình" in results and "Phạm Thị Hạnh" in results and "Lò Thị Ún" in results
    guide_shot(page, "households-list")


def local_officer_adds_a_speaker(page, journey: Journey) -> None:
    p = page.page
    page.goto("/events/speakers/new")
    p.fill("#full_name", journey.speaker[0])
    p.fill("#position", journey.speaker[1])
    p.fill("#phone", "0914777888")
    p.click("main form button[type=submit]")
    p.wait_for_url(re.compile(r"/events/speakers/\d+$"))
    assert journey.speaker[0] in p.inner_text("h1")


def local_officer_schedules_the_conference(page, journey: Journey) -> None:
    p = page.page
    day = f"15/05/{journey.year}"
    page.goto(f"/events/new?date={journey.year}-05-15")
    p.locator("#event-form").wait_for()
    assert p.input_value("#day") == day
    p.fill("#title", journey.event_title)
    with page.answered():
        p.select_option("#campaign_id", str(journey.campaign_id))
    p.select_option("#commune_id", str(journey.communes["Xã Văn Bàn"]))  # the form refreshes hamlets and agents
    p.locator("#hamlet_id option", has_text="Thôn Khe Cam").wait_for(state="attached")
    p.select_option("#hamlet_id", str(journey.hamlets["Thôn Khe Cam"]))
    p.fill("#venue", "Nhà văn hóa thôn Khe Cam")
    p.fill("#start_time", "08:00")
    p.fill("#end_time", "11:00")
    p.select_option("#co_organiser_id", label=journey.organisation)
    p.fill("#expected_attendance", "40")
    p.select_option("#speakers", label=f"{journey.speaker[0]} — {journey.speaker[1]}")
    for name in journey.agents:
        p.locator("#agents label", has_text=name).wait_for()
        p.get_by_label(name, exact=True).check()
    p.get_by_label("Hộ kinh doanh", exact=True).check()
    p.press("#expected_attendance", "Tab")
    page.settled()  # the form's checks sent by the choices above have come back
    assert p.input_value("#title") == journey.event_title  # kept through the form's refreshes
    guide_shot(page, "event-form")
    p.click("#event-form button[value=schedule]")
    p.wait_for_url(re.compile(r"/events/\d+$"))
    journey.event_id = int(re.search(r"/events/(\d+)$", p.url)[1])
    assert journey.event_title in p.inner_text("h1")
    panel = p.inner_text("#tab-panel")
    assert all(name in panel for name in journey.agents) and journey.speaker[0] in panel
    assert f"Tháng vận động BHXH toàn dân năm {journey.year}" in panel and "Nhà văn hóa thôn Khe Cam" in panel
    guide_shot(page, "event-detail")
    page.goto(f"/events/calendar?date={journey.year}-05-01")
    assert journey.event_title in p.inner_text(".calendar")
    guide_shot(page, "events-calendar")


def local_officer_builds_and_splits_the_list(page, journey: Journey) -> None:
    p = page.page
    page.goto(f"/events/{journey.event_id}")
    p.click(".event-nav a[href$='/previsit']")
    p.wait_for_url(f"**/events/{journey.event_id}/previsit")
    p.click("main a[href$='/previsit/build']")
    p.wait_for_url("**/previsit/build")
    p.click("button[value=count]")
    p.locator("#candidate-count .count-box").wait_for()
    assert "Có 5 hộ phù hợp." in p.inner_text("#candidate-count")  # every household of the commune
    guide_shot(page, "previsit-build")
    p.click("button[value=build]")
    p.wait_for_url(f"**/events/{journey.event_id}/previsit")
    assert "Đã thêm 5 hộ vào danh sách." in flash(page)
    p.click("form[action$='/split'] button[type=submit]")
    p.locator("#messages", has_text="Đã phân công 5 hộ.").wait_for()
    progress = p.locator("#progress-title + .table-wrap tbody tr")
    mai, pao = (row_of(page, "#progress-title + .table-wrap tbody tr", name) for name in journey.agents)
    assert mai.locator("td").nth(1).inner_text().strip() == "3"  # Thôn Khe Cam
    assert pao.locator("td").nth(1).inner_text().strip() == "2"  # Thôn Nà Chành
    assert progress.count() == 3  # two agents and the total
    guide_shot(page, "previsit-list")
    sign_out(page)


# 4. The agent on a phone: visits, invitations, documents ---------------------------------------------------

def agent_records_visits(phone, journey: Journey) -> None:
    p = phone.page
    username, full_name = journey.agent_user
    sign_in(phone, username, NEW_PASSWORD)
    assert f"Xin chào, {full_name}" in p.inner_text("main")
    guide_shot(phone, "agent-home-phone")
    p.click("nav .menu a[href$='/my']")
    p.wait_for_url("**/my")
    header = p.inner_text(".work-event header")
    assert journey.event_title in header and "Đã thăm 0/3 hộ" in header
    rows = p.locator(".work-row")
    assert rows.count() == 3
    assert "Lò Thị Ún" not in p.inner_text("main")  # Lò Văn Páo's hamlet
    guide_shot(phone, "agent-my-work-phone")
    for head, outcome in (("Nguyễn Văn Bình", "invited"), ("Đặng Văn Sơn", "invited"), ("Vàng Thị Dua", "not_home")):
        row = rows.filter(has_text=head)
        row.locator(f"form:has(input[name=outcome][value={outcome}]) button").click()
        row.locator(".badge").wait_for()
    assert rows.filter(has_text="Nguyễn Văn Bình").locator(".badge").inner_text() == "Đã mời"
    assert rows.filter(has_text="Vàng Thị Dua").locator(".badge").inner_text() == "Vắng nhà"
    phone.goto("/my")  # opened again: the count above the list follows
    assert p.evaluate("document.documentElement.scrollWidth") <= 360
    guide_shot(phone, "agent-visits-recorded-phone")


def local_officer_enters_the_paper_list(page, journey: Journey) -> None:
    """Lò Văn Páo works from the printed list; the officer types his outcomes in."""
    p = page.page
    sign_in(page, journey.local_officer[0], NEW_PASSWORD)
    page.goto(f"/events/{journey.event_id}/previsit")
    rows = {head: row_of(page, "#results tbody tr", head).locator("td").nth(1).inner_text().strip()
            for head in ("Lò Thị Ún", "Hoàng Văn Chư")}
    p.fill("#paper-entry textarea", f"{rows['Lò Thị Ún']} m 2\n{rows['Hoàng Văn Chư']} t")
    p.click("#paper-entry button[type=submit]")
    p.locator("#paper-entry .paper-log li.ok").nth(1).wait_for()
    page.goto(f"/events/{journey.event_id}/previsit")
    mai, pao = (row_of(page, "#progress-title + .table-wrap tbody tr", name) for name in journey.agents)
    assert [mai.locator("td").nth(i).inner_text().strip() for i in (1, 2, 3)] == ["3", "2", "2"]
    assert [pao.locator("td").nth(i).inner_text().strip() for i in (1, 2, 3)] == ["2", "2", "1"]
    guide_shot(page, "previsit-progress")


def invitations_left_at_the_visits(journey: Journey) -> int:
    """Each household recorded as invited has its invitation (letter, sheet row, QR code) from that visit."""
    from sqlalchemy import func, select

    from portal.results.models import Invitation

    count = db.session.scalar(select(func.count()).select_from(Invitation)
                              .where(Invitation.event_id == journey.event_id))
    db.session.commit()
    return count


def agent_prints_documents(phone, journey: Journey, folder: Path) -> None:
    p = phone.page
    phone.goto("/events/")
    p.click(f"main a:has-text('{journey.event_title}')")
    p.wait_for_url(f"**/events/{journey.event_id}")
    p.click(".event-nav a[href$='/documents']")
    p.wait_for_url(f"**/events/{journey.event_id}/documents")
    documents = p.inner_text(".doc-list")
    assert "Giấy mời có mã QR (của bạn)" in documents and "Phiếu đăng ký" in documents
    assert "Danh sách ký tên" not in documents  # the attendance sheet is the officers'
    guide_shot(phone, "agent-documents-phone")
    letters = fetch(phone, f"/events/{journey.event_id}/print/invitations.pdf", PDF)
    pages = pdf_pages(letters)
    assert len(pages) == 2, pages  # her two invited households, one letter each
    assert "Nguyễn Văn Bình" in pages[0] + pages[1] and "Đặng Văn Sơn" in pages[0] + pages[1]
    guide_print("print-invitation", letters, folder)
    assert fetch(phone, f"/events/{journey.event_id}/print/visits.pdf", PDF).startswith(b"%PDF")
    assert fetch(phone, f"/events/{journey.event_id}/print/signup-sheet.pdf", PDF).startswith(b"%PDF")


def local_officer_prints_documents(page, journey: Journey, folder: Path) -> None:
    p = page.page
    page.goto(f"/events/{journey.event_id}/documents")
    p.check("input[name=audience][value=low_income]")
    p.click("#leaflet form[action$='leaflet-audience'] button[type=submit]")
    p.locator(".flash-success").wait_for()
    p.fill("#leaflet-note", "Mang theo căn cước công dân; Bưu điện xã thu tiền ngay tại hội nghị.")
    documents = p.inner_text(".doc-list")
    assert "Danh sách ký tên tham dự" in documents and "Biên bản kết quả" in documents
    assert all(name in documents for name in journey.agents)  # a visit list for each agent
    assert "(3)" in p.inner_text("main form[action$='invitations-job'] button")  # three letters
    guide_shot(page, "event-documents")
    for path, picture in (("attendance.pdf", "print-attendance-sheet"), ("signup-sheet.pdf", "print-signup-sheet"),
                          ("invitations.pdf", None), ("leaflet.pdf?audience=low_income", "print-leaflet")):
        pdf = fetch(page, f"/events/{journey.event_id}/print/{path}", PDF)
        assert pdf.startswith(b"%PDF")
        if path == "invitations.pdf":
            assert len(pdf_pages(pdf)) == 3  # every invited household
        if path == "attendance.pdf":
            sheet = pdf_pages(pdf)[0]
            assert "Lò Thị Ún" in sheet and "Vàng Thị Dua" not in sheet  # the invited, by row
        if picture:
            guide_print(picture, pdf, folder)


# 5. On the day: check-in ------------------------------------------------------------------------------------

def the_day_comes(monkeypatch, journey: Journey) -> None:
    """The conference's day: for check-in, sign-ups and results, the portal's clock is an hour after its start."""
    from datetime import timedelta

    from portal.events.models import Event

    start = db.session.get(Event, journey.event_id).starts_at
    monkeypatch.setattr("portal.results.services.utcnow", lambda: start + timedelta(hours=1))


def check_in_on_the_day(page, phone, journey: Journey) -> None:
    from portal.households.models import Household
    from portal.results.models import Invitation

    p = page.page
    page.goto(f"/events/{journey.event_id}/attendance")
    assert "0/3" in p.inner_text("#live-count")
    p.fill("input[name=q]", "binh")
    row = p.locator("#invited tbody tr").filter(has_text="Nguyễn Văn Bình")
    row.wait_for()
    row.locator("button").click()
    row.locator(".badge").wait_for()
    assert "1/3" in p.inner_text("#live-count")

    # The agent scans the QR code on Lò Thị Ún's letter: it opens her check-in page.
    token = db.session.scalar(select(Invitation.token).join(Household, Household.id == Invitation.household_id)
                              .where(Invitation.event_id == journey.event_id, Household.head_name == "Lò Thị Ún"))
    db.session.commit()
    phone.goto(f"/checkin/{token}")
    assert "Lò Thị Ún" in phone.page.inner_text("h1")
    guide_shot(phone, "checkin-qr-phone")
    phone.page.click("main form button[type=submit]")
    phone.page.locator(".flash-success").first.wait_for()
    assert "2/3" in phone.page.inner_text("main footer")

    # Someone came without an invitation.
    page.goto(f"/events/{journey.event_id}/attendance")
    p.fill("#walk-in input[name=name]", "Lý Văn Tú")
    p.fill("#walk-in input[name=phone]", "0911222333")
    p.select_option("#walk-in select[name=hamlet_id]", label="Thôn Khe Cam")
    p.click("#walk-in button[type=submit]")
    p.locator("#walk-in li", has_text="Lý Văn Tú").wait_for()
    count = p.inner_text("#live-count")
    assert "2/3" in count and "1 người tự đến" in count, count
    guide_shot(page, "attendance")


# 6. Results: sign-ups and confirmation -----------------------------------------------------------------------

def results_are_entered_and_confirmed(page, journey: Journey) -> None:
    p = page.page
    page.goto(f"/events/{journey.event_id}/signups")
    p.click(".candidates a:has-text('Nguyễn Văn Bình')")
    p.wait_for_url(re.compile(r"person=\d+"))
    p.select_option("#scheme", "bhxh_tn")
    p.select_option("#kind", "new")
    p.fill("#income", "2200000")
    p.locator("#income").dispatch_event("change")
    p.locator("#quote-box .quote-line").wait_for()
    # From 2027 the lowest income is the rural poverty line of 2,200,000: 22% = 484,000, less 20% state support.
    assert "387.200 đ" in p.inner_text("#quote-box")
    p.fill("#receipt_number", "BL-0001")
    p.locator("#receipt_number").dispatch_event("change")  # the preview is asked again, as on leaving the field
    page.settled()  # ... and has come back before the button is pressed
    guide_shot(page, "signup-form")
    with page.answered():
        p.click("#signup-form button[type=submit]")
    assert "387.200 đ" in flash(page)

    # Lò Thị Ún's row of the paper sign-up sheet: household health insurance, first member.
    page.goto(f"/events/{journey.event_id}/attendance")
    sheet_row = row_of(page, "#invited tbody tr", "Lò Thị Ún").locator("td").first.inner_text().strip()
    page.goto(f"/events/{journey.event_id}/signups")
    p.fill("textarea[name=lines]", f"{sheet_row} yt 1")
    p.click("form[action$='/signups/bulk'] button[type=submit]")
    p.locator(".paper-log li.ok").wait_for()
    recorded = p.inner_text("table.data tbody")
    assert "Nguyễn Văn Bình" in recorded and "Lò Thị Ún" in recorded
    guide_shot(page, "signups")

    page.goto(f"/events/{journey.event_id}/results")
    table = p.inner_text(".results-table")
    assert "3 (2 + 1)" in table
    p.fill("#notes", "Hội nghị đông, bà con hỏi nhiều về mức hỗ trợ của Nhà nước.")
    guide_shot(page, "results-before-confirm")
    p.once("dialog", lambda dialog: dialog.accept())
    p.click("main form[data-confirm] button[type=submit]")
    p.wait_for_url(f"**/events/{journey.event_id}/results")
    assert "Kết quả đã được xác nhận" in flash(page)
    guide_shot(page, "results-confirmed")
    sign_out(page)


# 7. The campaign dashboard -----------------------------------------------------------------------------------

def cells(row) -> list[str]:
    return [" ".join(t.split()) for t in row.locator("td").all_inner_texts()]


def dashboard_shows_the_results(page, phone, journey: Journey) -> None:
    p = page.page
    sign_in(page, journey.province_officer[0], NEW_PASSWORD)
    page.goto(f"/campaigns/{journey.campaign_id}")
    p.click(f"main a[href$='/reports/campaigns/{journey.campaign_id}']")
    p.wait_for_url(f"**/reports/campaigns/{journey.campaign_id}")
    # One local office in the province: the dashboard opens on its communes, with the office total below.
    assert journey.office in p.inner_text(".report-head")
    commune = cells(row_of(page, ".progress-table tbody tr", "Xã Văn Bàn"))
    # New BHXH TN, new BHYT HGĐ, renewals, conferences held, attendees: achieved / target and % of plan.
    assert commune[0].startswith("1 / 5") and "20%" in commune[0], commune
    assert commune[1].startswith("1 / 5") and "20%" in commune[1], commune
    assert commune[2] == "0", commune
    assert commune[3].startswith("1 / 2") and "50%" in commune[3], commune
    assert commune[4].startswith("3 / 50") and "6%" in commune[4], commune
    assert cells(row_of(page, ".progress-table tbody tr", "Xã Khánh Yên"))[0].startswith("0 / 5")
    total = cells(page.page.locator(".progress-table tr.total"))
    assert total[0].startswith("1 / 10") and "10%" in total[0], total
    assert total[3].startswith("1 / 4") and "25%" in total[3], total
    assert total[4].startswith("3 / 100") and "3%" in total[4], total
    guide_shot(page, "dashboard-communes")

    p.click(".report-levels a:has-text('Đại lý')")
    p.locator(".progress-table", has_text=journey.agents[1]).wait_for()
    mai = cells(row_of(page, ".progress-table tbody tr", journey.agents[0]))
    pao = cells(row_of(page, ".progress-table tbody tr", journey.agents[1]))
    assert mai[0].startswith("1") and mai[1].startswith("0"), mai  # her invitee signed up for BHXH TN
    assert pao[0].startswith("0") and pao[1].startswith("1"), pao  # his, for household health insurance
    guide_shot(page, "dashboard-agents")

    report = fetch(page, f"/reports/campaigns/{journey.campaign_id}/progress.xlsx", XLSX)
    assert report[:2] == b"PK"
    assert fetch(page, f"/reports/campaigns/{journey.campaign_id}/communes.pdf", PDF).startswith(b"%PDF")
    page.goto(f"/reports/campaigns/{journey.campaign_id}/funnel")
    assert p.locator(".funnel-bars rect.bar").count() == 5
    guide_shot(page, "dashboard-funnel")
    page.goto("/")
    guide_shot(page, "home-province-officer")

    # The local officer follows the same figures on a phone.
    phone.page.context.clear_cookies()
    sign_in(phone, journey.local_officer[0], NEW_PASSWORD)
    phone.goto(f"/reports/campaigns/{journey.campaign_id}")
    assert cells(row_of(phone, ".progress-table tbody tr", "Xã Văn Bàn"))[0].startswith("1 / 5")
    guide_shot(phone, "dashboard-phone")


# The story --------------------------------------------------------------------------------------------------

def test_may_campaign_from_setup_to_dashboard(app, page, phone, tmp_path, monkeypatch):
    journey = Journey()
    install(journey)
    page.goto("/login")
    guide_shot(page, "login")

    sign_in(page, journey.admin, factories.DEFAULT_PASSWORD)
    admin_creates_offices(page, journey)
    admin_creates_agents(page, journey)
    admin_creates_users(page, journey)
    admin_reads_the_audit_log(page)
    sign_out(page)

    province_officer_creates_the_may_campaign(page, journey)

    local_officer_imports_households(page, journey, tmp_path)
    local_officer_adds_a_speaker(page, journey)
    local_officer_schedules_the_conference(page, journey)
    local_officer_builds_and_splits_the_list(page, journey)

    agent_records_visits(phone, journey)
    local_officer_enters_the_paper_list(page, journey)
    assert invitations_left_at_the_visits(journey) == 3
    agent_prints_documents(phone, journey, tmp_path)
    local_officer_prints_documents(page, journey, tmp_path)

    the_day_comes(monkeypatch, journey)
    check_in_on_the_day(page, phone, journey)
    results_are_entered_and_confirmed(page, journey)
    dashboard_shows_the_results(page, phone, journey)
