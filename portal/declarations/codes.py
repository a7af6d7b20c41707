"""The columns of the D05-TS and D03-TS lists (Decision 595/QĐ-BHXH, 2017, as amended by Decisions 505/2020 and
490/2023) and the codes their cells take where the collection software wants a code.

The codes are those the collection software of the agents' organisations takes; a province whose software
expects other codes changes them here (the lists page shows them in its legend, so a mismatch is seen before an
import fails).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Phương thức đóng (D05-TS): the number of months paid at a time; "VS" for a lump sum for future years
#: (về sau), "CT" for a lump sum for the years still missing (còn thiếu).
MODE_CODES = {"monthly": "1", "every_3_months": "3", "every_6_months": "6", "every_12_months": "12",
              "advance_lump_sum": "VS", "arrears_lump_sum": "CT"}
MODE_NAMES = {"1": "Hằng tháng", "3": "3 tháng một lần", "6": "6 tháng một lần", "12": "12 tháng một lần",
              "VS": "Một lần cho nhiều năm về sau", "CT": "Một lần cho những năm còn thiếu"}
#: Phương án: TM tăng mới; DT đóng tiếp (tái tục); DC điều chỉnh mức đóng; for BHYT, GH gia hạn thẻ.
PLAN_CODES = {"d05": {"new": "TM", "renewal": "DT", "adjustment": "DC"},
              "d03": {"new": "TM", "renewal": "GH", "adjustment": "DC"}}
PLAN_NAMES = {"TM": "Tăng mới", "DT": "Đóng tiếp", "DC": "Điều chỉnh mức đóng", "GH": "Gia hạn thẻ"}
#: Đối tượng được NSNN hỗ trợ (D05-TS): poor household, near-poor household, ethnic minority, island commune,
#: others.
SUPPORT_CODES = {"poor": "N", "near_poor": "CN", "ethnic_minority": "DT", "island": "XD", "other": "K"}
SUPPORT_NAMES = {"N": "Hộ nghèo", "CN": "Hộ cận nghèo", "DT": "Dân tộc thiểu số", "XD": "Xã đảo, đặc khu",
                 "K": "Đối tượng khác"}
SEX_NAMES = {"male": "Nam", "female": "Nữ"}
#: The legends printed under each list: what each code stands for.
LEGENDS = {
    "d05": [("Phương thức đóng", MODE_NAMES), ("Đối tượng NSNN hỗ trợ", SUPPORT_NAMES),
            ("Phương án", {k: PLAN_NAMES[k] for k in PLAN_CODES["d05"].values()})],
    "d03": [("Phương án", {k: PLAN_NAMES[k] for k in PLAN_CODES["d03"].values()})],
}


@dataclass(frozen=True)
class Column:
    """One column of a list: its key in a row, its header (under a group header, if any), the cell type
    ("int", "text", "code", "date", "month", "birth", "money", "percent"), its width in the spreadsheet
    (characters) and on paper (mm, before scaling to the page), and whether a row may leave it empty."""

    key: str
    label: str
    kind: str = "text"
    width: int = 12
    mm: int = 14
    group: str | None = None
    mandatory: bool = True
    #: Summed on the totals row (amounts; not the chosen income, which is a base, not money paid).
    summed: bool = False

    def __post_init__(self):
        if self.kind == "money" and self.key != "income":
            object.__setattr__(self, "summed", True)


D05_COLUMNS = [
    Column("n", "STT", "int", 6, 7),
    Column("name", "Họ và tên", "text", 26, 23),
    Column("bhxh_code", "Mã số BHXH", "code", 13, 16, mandatory=False),
    Column("cccd", "Số CCCD", "code", 15, 19, mandatory=False),
    Column("birth", "Ngày sinh", "birth", 11, 10),
    Column("sex", "Giới tính", "text", 8, 8),
    Column("address", "Địa chỉ (nơi cư trú)", "text", 34, 24),
    Column("income", "Mức thu nhập tháng làm căn cứ đóng", "money", 14, 13),
    Column("mode", "Phương thức đóng", "code", 10, 11),
    Column("from_month", "Từ tháng", "month", 9, 11),
    Column("months", "Số tháng", "int", 7, 9),
    Column("due", "Số tiền phải đóng", "money", 14, 15),
    Column("support_code", "Đối tượng", "code", 9, 11, group="NSNN hỗ trợ"),
    Column("support_rate", "Tỷ lệ (%)", "percent", 7, 9, group="NSNN hỗ trợ"),
    Column("support", "Số tiền", "money", 12, 14, group="NSNN hỗ trợ"),
    Column("local_rate", "Tỷ lệ (%)", "percent", 7, 9, group="NSĐP hỗ trợ"),
    Column("local_support", "Số tiền", "money", 12, 11, group="NSĐP hỗ trợ"),
    Column("other_support", "Hỗ trợ khác", "money", 10, 10),
    Column("net", "Số tiền người tham gia đóng", "money", 14, 15),
    Column("plan", "Phương án", "code", 9, 11),
    Column("note", "Ghi chú", "text", 18, 7, mandatory=False),
]
D03_COLUMNS = [
    Column("n", "STT", "int", 6, 8),
    Column("name", "Họ và tên", "text", 26, 24),
    Column("bhxh_code", "Mã số BHXH", "code", 13, 16, mandatory=False),
    Column("cccd", "Số CCCD", "code", 15, 19, mandatory=False),
    Column("birth", "Ngày sinh", "birth", 11, 10),
    Column("sex", "Giới tính", "text", 8, 8),
    Column("address", "Địa chỉ", "text", 34, 23),
    Column("household_code", "Mã hộ gia đình", "code", 13, 11, mandatory=False),
    Column("clinic_province", "Mã tỉnh", "code", 7, 8, group="Nơi đăng ký KCB ban đầu"),
    Column("clinic_code", "Mã cơ sở KCB", "code", 9, 10, group="Nơi đăng ký KCB ban đầu"),
    Column("order", "Người thứ", "int", 7, 10),
    Column("months", "Số tháng đóng", "int", 7, 10),
    Column("start", "Từ ngày", "date", 11, 10),
    Column("end", "Đến ngày", "date", 11, 10),
    Column("due", "Số tiền phải đóng", "money", 13, 15),
    Column("support", "NSNN, NSĐP hỗ trợ", "money", 12, 12),
    Column("net", "Số tiền người tham gia đóng", "money", 13, 15),
    Column("receipt_number", "Số biên lai", "code", 11, 19, mandatory=False),
    Column("receipt_date", "Ngày biên lai", "date", 11, 10, mandatory=False),
    Column("plan", "Phương án", "code", 9, 11),
    Column("note", "Ghi chú", "text", 16, 8, mandatory=False),
]
COLUMNS = {"d05": D05_COLUMNS, "d03": D03_COLUMNS}
TITLES = {"d05": "Danh sách người chỉ tham gia bảo hiểm xã hội tự nguyện",
          "d03": "Danh sách người chỉ tham gia bảo hiểm y tế"}
FORM_NAMES = {"d05": "Mẫu D05-TS", "d03": "Mẫu D03-TS"}
#: The decision that issued the forms, printed under the form's name.
ISSUED_BY = "(Ban hành kèm theo Quyết định số 595/QĐ-BHXH ngày 14/4/2017 của BHXH Việt Nam)"
