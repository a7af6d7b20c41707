"""Users of the portal."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import UTCDateTime, utcnow
from .roles import ROLES


class User(UserMixin, db.Model):
    """A person who signs in: officer, agent, viewer or administrator."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ({})".format(", ".join(f"'{r}'" for r in ROLES)), name="role"),)

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Login name, stored lower-case.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: Name shown in the interface and on printed documents (NFC).
    full_name: Mapped[str] = mapped_column(String(120))
    #: Work phone (personal data: never logged in clear).
    phone: Mapped[str | None] = mapped_column(String(20))
    #: One of :data:`portal.auth.roles.ROLES`.
    role: Mapped[str] = mapped_column(String(32))
    #: Deactivated users cannot sign in and their sessions end at the next request.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Interface language ("vi" or "en").
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    #: Argon2id hash of the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Bumped on logout, deactivation and password change; sessions carrying an older value are refused.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    #: When the account was created (UTC).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Last successful sign-in (UTC).
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def get_id(self) -> str:
        """Session identifier: the user id and the session version, so old cookies stop working."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return bool(self.active)

    def end_sessions(self) -> None:
        """Invalidate every session of this user (takes effect at their next request)."""
        self.session_version = (self.session_version or 0) + 1

    @classmethod
    def by_username(cls, username: str) -> User | None:
        """Look up a user by login name, case-insensitively."""
        return db.session.scalar(select(cls).where(cls.username == (username or "").strip().lower()))

    @classmethod
    def from_session_id(cls, session_id: str) -> User | None:
        """The user for a session identifier, or None when it is stale, malformed or deactivated."""
        try:
            user_id, version = (int(part) for part in session_id.split(":", 1))
        except ValueError:
            return None
        user = db.session.get(cls, user_id)
        if user is None or not user.active or user.session_version != version:
            return None
        return user

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
