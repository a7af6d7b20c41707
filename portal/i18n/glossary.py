"""One word for each thing: the Vietnamese terms of the portal, as the law and the officers say them.

Every Vietnamese text the portal shows or prints (the catalogue's translations, the page and print templates,
the Vietnamese guides) uses the preferred term of each entry below; the retired synonyms must not come back
(tests/test_glossary.py fails when one does). When a new screen needs a word for one of these things, take it
from here; when the law changes a word, change the entry and the texts together.

Where one English word needs two Vietnamese ones, the catalogue uses a message context (pgettext): "Other"
is "Khác" as a choice in a list and "Người tham gia khác" as a category of participant.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A thing, its preferred Vietnamese term, the synonyms retired for it, and where the term comes from."""

    thing: str
    preferred: str
    retired: tuple[str, ...]
    source: str


TERMS: tuple[Term, ...] = (
    Term("The monthly income a voluntary participant chooses as the basis of contributions",
         "mức thu nhập tháng làm căn cứ đóng",
         ("mức thu nhập lựa chọn", "thu nhập chọn đóng", "mức thu nhập chọn đóng", "mức tiền làm căn cứ đóng"),
         "Luật Bảo hiểm xã hội 2024, Điều 31; mẫu D05-TS"),
    Term("What the participant pays after the State's support (net payable)", "số tiền người tham gia đóng",
         ("số người tham gia đóng",), "mẫu D05-TS"),
    Term("The identity card (and its number)", "thẻ căn cước (số định danh cá nhân)", ("căn cước công dân",),
         "Luật Căn cước 2023, hiệu lực từ 01/7/2024"),
    Term("Residence records (the paper books were abolished)", "thông tin về cư trú",
         ("sổ hộ gia đình", "sổ hộ khẩu"), "Luật Cư trú 2020, Điều 38: sổ hộ khẩu hết giá trị từ 01/01/2023"),
    Term("An outreach event of any kind (a conference is a hội nghị)", "hoạt động tuyên truyền (hoạt động)",
         ("sự kiện",), "cách gọi của cán bộ BHXH: hội nghị, hoạt động tuyên truyền"),
    Term("The count of households at each step of the outreach", "kết quả từng bước vận động",
         ("phễu chuyển đổi", "phễu vận động", "phễu"), "cách gọi của cán bộ, không dùng từ tiếp thị"),
    Term("The guided creation of a campaign", "tạo chiến dịch theo từng bước", ("trình tạo nhanh",),
         "cách gọi của cán bộ, không dùng từ tiếp thị"),
    Term("A household an agent has been to (a step of the outreach)", "đã thăm", ("đã gặp",),
         "danh sách hộ cần thăm"),
    Term("A labour contract suspended (a potential group)", "tạm hoãn hợp đồng lao động",
         ("tạm dừng hợp đồng", "tạm dừng, chấm dứt hợp đồng"), "Bộ luật Lao động 2019, Điều 30"),
    Term("The person who collects contributions in a hamlet (Agent)", "đại lý thu", ("nhân viên thu",),
         "cách gọi của cán bộ và người dân"),
    Term("The organisation the agents work for (AgentOrganisation)", "tổ chức dịch vụ thu",
         ("đơn vị dịch vụ thu",), "Quyết định 1676/QĐ-BHXH về tổ chức dịch vụ thu"),
    Term("The facility a health insurance card holder registers with for initial care (Facility, initial clinic)",
         "nơi đăng ký khám bệnh, chữa bệnh ban đầu (nơi đăng ký KCB ban đầu; cơ sở KCB)",
         ("phòng khám ban đầu", "nơi khám ban đầu"), "Luật Bảo hiểm y tế, Điều 26; thẻ BHYT"),
)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def retired_pattern() -> re.Pattern[str]:
    """A pattern matching any retired synonym as whole words (case-insensitive, NFC text)."""
    words = sorted({_normal(r) for term in TERMS for r in term.retired}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def retired_in(text: str) -> list[str]:
    """The retired synonyms found in a text."""
    return retired_pattern().findall(_normal(text))
