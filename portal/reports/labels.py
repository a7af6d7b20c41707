"""Names of report figures: translated for pages, and in Vietnamese for spreadsheets and printed reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..campaigns.models import METRICS
from ..events.models import LEAFLET_AUDIENCES
from ..households.models import POTENTIAL_GROUPS
from .funnel import NO_AUDIENCE, STEPS

STEP_LABELS = {
    "listed": _l("Listed"),
    "visited": _l("Visited"),
    "invited": _l("Invited"),
    "attended": _l("Attended"),
    "signed_up": _l("Signed up"),
}
AUDIENCE_LABELS = {
    "town": _l("Towns, stable income"),
    "low_income": _l("Low income"),
    "ethnic": _l("Ethnic minorities"),
    NO_AUDIENCE: _l("No leaflet variant chosen"),
}
LEVEL_LABELS = {"office": _l("Office"), "commune": _l("Commune"), "agent": _l("Collection agent"),
                "event": _l("Event")}

#: Spreadsheets and printed reports are in Vietnamese whatever the interface language.
METRIC_VI = {
    "new_bhxh_tn": "BHXH tự nguyện tham gia mới",
    "new_bhyt_hgd": "BHYT hộ gia đình tham gia mới",
    "renewals": "Tái tục",
    "conferences": "Hội nghị đã tổ chức",
    "attendees": "Người dự hội nghị",
}
METRIC_SHORT_VI = {"new_bhxh_tn": "BHXH TN mới", "new_bhyt_hgd": "BHYT HGĐ mới", "renewals": "Tái tục",
                   "conferences": "Hội nghị", "attendees": "Người dự"}
STEP_VI = {"listed": "Trong danh sách", "visited": "Đã thăm", "invited": "Đã mời", "attended": "Đến dự",
           "signed_up": "Đăng ký tham gia"}
GROUP_VI = {
    "household_business": "Hộ kinh doanh",
    "small_trader": "Tiểu thương",
    "craft_village": "Lao động làng nghề",
    "contract_ended": "Lao động tạm hoãn, chấm dứt hợp đồng lao động",
    "near_poor": "Hộ cận nghèo",
}
AUDIENCE_VI = {"town": "Đô thị, thu nhập ổn định", "low_income": "Thu nhập thấp", "ethnic": "Đồng bào dân tộc thiểu số",
               NO_AUDIENCE: "Chưa chọn loại tờ rơi"}
LEVEL_VI = {"office": "Cơ quan BHXH", "commune": "Xã, phường", "agent": "Đại lý thu", "event": "Hoạt động",
            "organisation": "Tổ chức dịch vụ thu", "hamlet": "Thôn, tổ dân phố"}
LEVEL_IN_VI = {"office": "cơ quan BHXH", "commune": "xã, phường", "agent": "đại lý thu", "event": "hoạt động",
               "organisation": "tổ chức dịch vụ thu", "hamlet": "thôn, tổ dân phố"}

assert set(METRIC_VI) == set(METRICS) and set(STEP_VI) == set(STEPS) == set(STEP_LABELS)
assert set(GROUP_VI) == set(POTENTIAL_GROUPS)
assert set(AUDIENCE_VI) == set(AUDIENCE_LABELS) == {*LEAFLET_AUDIENCES, NO_AUDIENCE}

#: The periods of the periodic results report (``periodic.PERIODS``).
PERIOD_LABELS = {"week": _l("Week"), "month": _l("Month")}
