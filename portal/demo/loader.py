"""Builds the demo data set. Every step looks for what exists first, so running it again adds nothing."""

from __future__ import annotations

from dataclasses import dataclass

from ..auth import roles
from ..auth.models import User
from ..auth.services import create_user
from ..extensions import db


@dataclass(frozen=True)
class DemoAccount:
    """A demo login printed by ``make run``."""

    username: str
    password: str
    role: str
    full_name: str


DEMO_ACCOUNTS = [
    DemoAccount("admin", "demo-quantri-2026", roles.ADMIN, "Trần Quốc Huy"),
    DemoAccount("tinh", "demo-tinh-2026", roles.PROVINCE_OFFICER, "Lê Thị Hồng Nhung"),
    DemoAccount("coso", "demo-coso-2026", roles.LOCAL_OFFICER, "Phạm Văn Đức"),
    DemoAccount("daily", "demo-daily-2026", roles.AGENT, "Nguyễn Thị Ánh"),
    DemoAccount("xem", "demo-xem-2026", roles.VIEWER, "Hoàng Minh Tuấn"),
]


def load_demo() -> int:
    """Create what is missing; return how many records were added."""
    created = 0
    for account in DEMO_ACCOUNTS:
        if User.by_username(account.username) is None:
            create_user(
                username=account.username,
                full_name=account.full_name,
                role=account.role,
                password=account.password,
            )
            created += 1
    db.session.commit()
    return created
