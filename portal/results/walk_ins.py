"""Walk-ins at the door: whom in the registry they may already be, looked up through the caller's scope, and
checking them in as that person or as someone new.

A CCCD is unique in the country. When it belongs to someone the caller may not see, the answer says only that
the number is held elsewhere (no name, no place, the same status as any invalid form) and the lookup is audited
against the holder, so the province office can see who asked; one user gets a limited number of such answers
before their CCCD lookups wait (portal/auth/held_elsewhere.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select

from ..auth import held_elsewhere
from ..auth.scope import Scope, scoped
from ..extensions import db
from ..households.models import Person
from ..i18n.collation import fold_diacritics
from .models import Attendance
from .services import ResultsError, add_walk_in

#: Ids a database integer column can hold (a larger one typed into a form is nobody).
_MAX_ID = 2**31 - 1


class HeldElsewhere(ResultsError):
    """The CCCD belongs to someone outside the caller's territory."""


@dataclass
class WalkIn:
    """What checking in a walk-in came to: the attendance, or the known people to choose from first."""

    attendance: Attendance | None = None
    new: bool = False
    matches: list[Person] = field(default_factory=list)


def cccd_holder(cccd: str, *, scope: Scope, event, user=None) -> Person | None:
    """The person the scope sees with this CCCD, or None when nobody has it; a holder outside the scope raises
    HeldElsewhere after an audit entry naming the holder (the caller commits it). Answers "held elsewhere" are
    counted against ``user``, whose CCCD lookups then wait for a while (ResultsError "checks_wait")."""
    if user is not None:
        try:
            held_elsewhere.check_allowed(user)
        except held_elsewhere.TooManyChecks as exc:
            raise ResultsError("checks_wait", message=exc.message) from None
    person = db.session.scalar(scoped(Person, scope=scope).where(Person.cccd == cccd))
    if person is not None:
        return person
    holder = db.session.scalar(select(Person.id).where(Person.cccd == cccd))
    if holder is None:
        return None
    held_elsewhere.answered(user, "walk_in.cccd_elsewhere", [holder], {"event": event.id})
    raise HeldElsewhere("cccd_elsewhere")


def match_walk_in(event, name: str, phone: str | None, cccd: str | None, *, scope: Scope,
                  user=None) -> list[Person]:
    """People the scope sees whom a walk-in may already be: the holder of the CCCD (wherever they live), else
    those of the event's commune with the same name or phone."""
    if cccd:
        holder = cccd_holder(cccd, scope=scope, event=event, user=user)
        return [holder] if holder else []
    conditions = [Person.search_name == fold_diacritics(name)]
    if phone:
        conditions.append(Person.phone == phone)
    return list(db.session.scalars(scoped(Person, scope=scope).where(Person.commune_id == event.commune_id,
                                                                     or_(*conditions))
                                   .order_by(Person.sort_key).limit(10)))


def walk_in(event, *, name: str, phone: str | None, cccd: str | None, hamlet, choice: str | None, user,
            scope: Scope, submission_key: str | None = None) -> WalkIn:
    """Check in someone who came without an invitation: the known person chosen; or, when nobody known matches
    or "new" was chosen, a new person in the hamlet; else the people to choose from (nothing written).

    A CCCD that belongs to someone else cannot be given to a new person: ResultsError "cccd_taken" (with the
    holder among ``matches``) when the caller sees the holder, HeldElsewhere when not."""
    person = None
    if choice and choice.isdigit() and int(choice) <= _MAX_ID:
        person = db.session.scalar(scoped(Person, scope=scope).where(Person.id == int(choice)))
    if person is None:
        matches = match_walk_in(event, name, phone, cccd, scope=scope, user=user)
        if matches and choice == "new" and cccd:
            raise ResultsError("cccd_taken", matches=matches)
        if matches and choice != "new":
            return WalkIn(matches=matches)
    attendance, new = add_walk_in(event, name=name, phone=phone, hamlet=hamlet, cccd=cccd, user=user,
                                  person=person, submission_key=submission_key)
    return WalkIn(attendance=attendance, new=new)
