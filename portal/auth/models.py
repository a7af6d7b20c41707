"""Users of the portal."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, false, select, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import UTCDateTime, one_of, timestamp
from .roles import ROLES

if TYPE_CHECKING:
    from ..org.models import Agent, Office


class User(UserMixin, db.Model):
    """A person who signs in: officer, agent, viewer or administrator."""

    __tablename__ = "users"
    __table_args__ = (one_of("role", ROLES, name="role"),)

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
    created_at: Mapped[datetime] = timestamp()
    #: Last successful sign-in (UTC).
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The office a province officer, local officer or viewer works for.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    #: The agent record of an agent user.
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), unique=True)

    office: Mapped[Office | None] = relationship(lazy="raise_on_sql")
    agent: Mapped[Agent | None] = relationship(lazy="raise_on_sql")

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
    def scope_clause(cls, scope):
        """Users are managed by administrators only; anyone else sees no user records here."""
        return true() if scope.is_all else false()

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


class LoginThrottle(db.Model):
    """Recent failed sign-ins for one account or one address, shared by every server process."""

    __tablename__ = "login_throttles"

    #: "user:<username>" or "ip:<address>".
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    #: Failures since the window started.
    failures: Mapped[int] = mapped_column(Integer, default=0)
    #: Start of the counting window (UTC).
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    #: No attempt is checked before this moment (UTC).
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
