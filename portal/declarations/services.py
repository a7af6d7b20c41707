"""Building D05-TS (voluntary social insurance) and D03-TS (household health insurance) lists.

Only confirmed sign-ups go out. A row that lacks what a declaration needs (a social insurance code or a CCCD,
the date of birth, the place of residence) stops the export and is listed with its missing fields: nobody is
ever dropped silently. Each export is a batch; the sign-ups it carried are marked, so the next export of the
same period holds only what is new unless asked otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit import services as audit
from ..auth.scope import scoped
from ..extensions import db
from ..geo.models import Commune, Hamlet, Province
from ..households.models import Household, Person
from ..policy import calculator
from ..results.models import SignUp
from .models import DeclarationBatch

MODE_NAMES = {"monthly": "Hằng tháng", "every_3_months": "3 tháng", "every_6_months": "6 tháng",
              "every_12_months": "12 tháng", "advance_lump_sum": "Đóng trước nhiều năm",
              "arrears_lump_sum": "Đóng cho thời gian còn thiếu"}
KIND_NAMES = {"new": "Tăng mới", "renewal": "Tái tục", "adjustment": "Điều chỉnh"}

D05_HEADERS = ["STT", "Họ và tên", "Mã số BHXH", "Số CCCD", "Ngày sinh", "Mức thu nhập tháng làm căn cứ đóng", "Từ tháng",
               "Số tháng", "Tổng số tiền", "Số tiền người tham gia đóng", "NSNN hỗ trợ: tỷ lệ (%)",
               "NSNN hỗ trợ: số tiền", "NSĐP hỗ trợ: tỷ lệ (%)", "NSĐP hỗ trợ: số tiền", "Phương thức đóng",
               "Phương án", "Mã tỉnh", "Mã xã", "Địa chỉ", "Ghi chú"]
D03_HEADERS = ["STT", "Hộ (chủ hộ)", "Họ và tên", "Mã số BHXH", "Số CCCD", "Ngày sinh", "Người thứ",
               "Tỷ lệ đóng so với người thứ nhất (%)", "Số tiền 1 tháng", "Số tháng", "Số tiền", "Thẻ có giá trị từ",
               "Phương án", "Mã tỉnh", "Mã xã", "Địa chỉ", "Ghi chú"]
LADDER = {1: 100, 2: 70, 3: 60, 4: 50}


@dataclass
class Filters:
    """Which confirmed sign-ups to declare."""

    form: str = "d05"
    event_id: int | None = None
    agent_id: int | None = None
    commune_id: int | None = None
    start: date | None = None
    end: date | None = None
    include_exported: bool = False

    def as_json(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass
class Listing:
    """The rows of one export, or the people who block it."""

    rows: list[list] = field(default_factory=list)
    signup_ids: list[int] = field(default_factory=list)
    missing: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, missing fields)
    total_due: int = 0
    total_net: int = 0
    total_support: int = 0


def _query(f: Filters):
    scheme = "bhxh_tn" if f.form == "d05" else "bhyt_hgd"
    stmt = scoped(SignUp, select(SignUp, Person, Household, Hamlet, Commune, Province)).join(
        Person, Person.id == SignUp.person_id).join(Household, Household.id == SignUp.household_id).join(
        Hamlet, Hamlet.id == Household.hamlet_id).join(Commune, Commune.id == SignUp.commune_id).join(
        Province, Province.id == Commune.province_id).where(SignUp.status == "confirmed", SignUp.scheme == scheme)
    if f.event_id:
        stmt = stmt.where(SignUp.event_id == f.event_id)
    if f.agent_id:
        stmt = stmt.where(SignUp.agent_id == f.agent_id)
    if f.commune_id:
        stmt = stmt.where(SignUp.commune_id == f.commune_id)
    if f.start:
        stmt = stmt.where(SignUp.signed_on >= f.start)
    if f.end:
        stmt = stmt.where(SignUp.signed_on <= f.end)
    if not f.include_exported:
        stmt = stmt.where(SignUp.export_batch_id.is_(None))
    return stmt.order_by(Commune.sort_key, Household.sort_key, SignUp.member_order, Person.sort_key)


def _missing(person: Person, household: Household) -> list[str]:
    gaps = []
    if not (person.bhxh_code or person.cccd):
        gaps.append(_("social insurance code or CCCD"))
    if person.date_of_birth is None:
        gaps.append(_("date of birth"))
    if not household.address:
        gaps.append(_("address"))
    return gaps


def _address(household: Household, hamlet: Hamlet, commune: Commune, province: Province) -> str:
    return ", ".join(p for p in (household.address, hamlet.name, commune.name, province.full_name) if p)


def _percent(value: Decimal) -> float:
    return float((value * 100).quantize(Decimal("0.01")))


def listing(f: Filters) -> Listing:
    """The rows of a D05-TS or D03-TS list for the filters."""
    result = Listing()
    for signup, person, household, hamlet, commune, province in db.session.execute(_query(f)):
        gaps = _missing(person, household)
        if gaps:
            result.missing.append((person.full_name, gaps))
            continue
        result.signup_ids.append(signup.id)
        result.total_due += signup.amount_due
        result.total_net += signup.net
        result.total_support += signup.support + signup.local_support
        n = len(result.rows) + 1
        address = _address(household, hamlet, commune, province)
        note = signup.override_reason or ""
        if f.form == "d05":
            try:
                quote = calculator.bhxh_tn(signup.signed_on, income=signup.chosen_income or 0,
                                           categories=_categories(person, household), mode=signup.payment_mode
                                           or "monthly", months=signup.months)
                rate, local_rate = _percent(quote.support_rate), _percent(quote.local_support_rate)
            except calculator.PolicyError:
                rate = local_rate = 0.0
            result.rows.append([
                n, person.full_name.upper(), person.bhxh_code or "", person.cccd or "", person.date_of_birth,
                signup.chosen_income, signup.signed_on.strftime("%m/%Y"), signup.months, signup.amount_due,
                signup.net, rate, signup.support, local_rate, signup.local_support,
                MODE_NAMES.get(signup.payment_mode or "monthly", ""), KIND_NAMES[signup.kind], province.code,
                commune.code, address, note])
        else:
            order = signup.member_order or 1
            start = signup.signed_on + timedelta(days=30) if signup.kind == "new" else signup.signed_on
            monthly = signup.amount_due // max(signup.months, 1)
            result.rows.append([
                n, household.head_name, person.full_name.upper(), person.bhxh_code or "", person.cccd or "",
                person.date_of_birth, order, LADDER.get(order, 40), monthly, signup.months, signup.amount_due, start,
                KIND_NAMES[signup.kind], province.code, commune.code, address, note])
    return result


def _categories(person: Person, household: Household) -> set[str]:
    found = {"other"}
    if household.poverty_status == "poor":
        found.add("poor")
    if household.poverty_status == "near_poor":
        found.add("near_poor")
    if person.ethnic_minority:
        found.add("ethnic_minority")
    return found


def record_batch(f: Filters, result: Listing, user, file_format: str) -> DeclarationBatch:
    """Mark the exported sign-ups with a new batch and audit the export (caller commits)."""
    batch = DeclarationBatch(form=f.form, filters=f.as_json(), count=len(result.signup_ids), created_by_id=user.id)
    db.session.add(batch)
    db.session.flush()
    if result.signup_ids:
        table = SignUp.__table__
        db.session.execute(table.update().where(table.c.id.in_(result.signup_ids)).values(export_batch_id=batch.id))
    audit.record("export.declaration", obj=batch, object_type="declaration_batch",
                 details={"form": f.form, "rows": len(result.signup_ids), "format": file_format,
                          "filters": f.as_json()})
    return batch
