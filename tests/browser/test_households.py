"""Households in a browser: active search without diacritics, a number search that stays out of the address,
the household page and its inline validation, and an agent's due list on a phone."""

from __future__ import annotations

from datetime import date, timedelta

from portal.auth import roles
from portal.i18n.formatting import local_today

from .. import factories
from ..households.factories import add_person, make_household


def test_officer_searches_and_opens_a_household(page, world):
    own = world.own
    household = make_household(own.hamlet, "Nguyễn Văn An", address="Nhà 5, ngõ 3", phone="0912345678",
                               cccd="001234567890", date_of_birth=date(1978, 4, 2), bhxh_tn_status="participating",
                               paid_until=local_today() + timedelta(days=20), tags=["household_business"])
    add_person(household, "Trần Thị Bích", relation="spouse", date_of_birth=date(1981, 9, 12))
    add_person(household, "Nguyễn Minh Khôi", relation="child", date_of_birth=date(2008, 1, 30))
    make_household(own.hamlet2, "Nguyễn Văn Anh", address="Nhà 9")
    make_household(own.hamlet2, "Lê Thị Ánh", address="Nhà 11")
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)

    page.goto("/households/")
    assert "Trần Thị Bích" in page.page.inner_text("#results")  # the list before any search: everyone in scope
    page.page.fill("#q", "nguyen van an")
    page.page.wait_for_url(lambda url: url.endswith("/households/?q=nguyen+van+an"), wait_until="commit")
    page.page.locator("#results td.who a", has_text="Nguyễn Văn An").wait_for()
    page.page.locator("#results td.who a", has_text="Trần Thị Bích").wait_for(state="detached")
    assert "Nguyễn Văn Anh" not in page.page.inner_text("#results")  # a whole last word: An, not Anh
    page.screenshot("households-search")

    # A CCCD typed in the box is posted; the address bar never shows it.
    with page.answered():  # the results of the previous search show the same name: wait for this one's
        page.page.fill("#q", "001234567890")
    page.page.locator("#results td.who a", has_text="Nguyễn Văn An").wait_for()
    assert "001234567890" not in page.page.url

    page.page.locator(f'#results a[href="/households/{household.id}"]').first.click()
    page.page.wait_for_url(f"**/households/{household.id}", wait_until="commit")
    page.page.locator("table.members").wait_for()
    main = page.page.inner_text("main")
    assert "Nhà 5, ngõ 3" in main and "Trần Thị Bích" in main
    assert main.index("Nguyễn Văn An") < main.index("Trần Thị Bích") < main.index("Nguyễn Minh Khôi")
    page.screenshot("households-household")

    # Inline validation: a bad phone is explained as soon as the field is left.
    page.goto(f"/households/{household.id}/edit")
    page.page.fill("#phone", "12345")
    page.page.press("#phone", "Tab")
    page.page.locator("#phone-error").wait_for()
    page.screenshot("households-edit-inline-error")


def test_agent_reads_the_due_list_on_a_phone(phone, world):
    own = world.own
    today = local_today()
    second = factories.make_agent(own.office, organisation=own.organisation, communes=[own.commune],
                                  hamlets=[own.hamlet], name="Hoàng Văn Thu")
    make_household(own.hamlet, "Nguyễn Văn An", address="Nhà 5, ngõ 3", phone="0912345678",
                   bhxh_code="0123456789", bhxh_tn_status="participating", paid_until=today + timedelta(days=4),
                   date_of_birth=date(1978, 4, 2))
    make_household(own.hamlet, "Sùng Thị Mỷ", address="Bản trên", bhxh_tn_status="participating",
                   paid_until=today + timedelta(days=12), phone="0987000111")
    make_household(own.hamlet2, "Lò Văn Xa", bhxh_tn_status="participating", paid_until=today + timedelta(days=6))
    agent = world.users[roles.AGENT]
    phone.login(agent.username, factories.DEFAULT_PASSWORD)
    phone.goto("/households/due")
    text = phone.page.inner_text("#due-page")
    assert "Nguyễn Văn An" in text and "Sùng Thị Mỷ" in text
    assert "Lò Văn Xa" not in text  # another hamlet
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("households-due-phone")
    # Per agent: the agent's hamlet has a second agent, so each person appears under both.
    phone.page.select_option("#due-group", "agent")
    phone.page.locator(".due-group h2", has_text=second.full_name).wait_for()
    assert phone.page.locator(".due-list li", has_text="Nguyễn Văn An").count() == 2
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("households-due-phone-per-agent")


def test_officer_maps_columns_and_creates_a_hamlet_while_importing(page, world, tmp_path):
    import io

    from openpyxl import Workbook

    own = world.own
    workbook = Workbook()
    for row in (["DANH SÁCH HỘ RÀ SOÁT NĂM 2026"], [], ["Tên người", "Xóm", "Ngày sinh", "Ghi chú"],
                ["Vàng Seo Chứ", "Bản Mới Lập", "01/01/1980", "chủ hộ"], ["Vàng Thị Súa", "Bản Mới Lập", "02/02/1982", ""],
                ["Lò Văn Pọm", own.hamlet.name, "05/03/1970", ""]):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "ra-soat.xlsx"
    path.write_bytes(buffer.getvalue())
    page.login(world.users[roles.LOCAL_OFFICER].username, factories.DEFAULT_PASSWORD)
    page.goto(f"/households/import?commune={own.commune.id}")
    page.page.set_input_files("input[type=file]", str(path))
    page.page.click("form.import-upload button[type=submit]")
    page.page.locator("table.import-map").wait_for()
    assert page.page.input_value("select[name=map-2]") == "date_of_birth"  # a heading it knows
    page.page.select_option("select[name=map-0]", "full_name")
    page.page.select_option("select[name=map-1]", "hamlet")
    page.page.click("form.import-choices button[name=recheck]")
    page.page.locator("fieldset.import-hamlets").wait_for()
    assert "Bản Mới Lập" in page.page.inner_text("fieldset.import-hamlets")
    page.page.check("input[name=create_hamlets]")
    page.page.click("form.import-choices button[name=recheck]")
    page.page.locator("button[name=confirm]").wait_for()
    page.screenshot("households-import-mapped")
    page.page.click("button[name=confirm]")
    page.page.wait_for_url("**/households/?commune=*", wait_until="commit")
    page.page.locator(".flash-success").wait_for()
    assert "3" in page.page.inner_text(".flash-success")
