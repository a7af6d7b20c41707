"""Which potential groups converted best: the funnel of the households with a member carrying each tag.

A household belongs to a group when one of its members carries the tag; its units (one per event) are counted
as in portal.reports.funnel. Finding the households behind every step of a province's events and their
members' tags costs far more than the steps themselves (hundreds of thousands of rows), so the counts are kept
per event, under a fingerprint of that event's steps (their counts and the households in them) and of the tags
table: a page recomputes only the events whose fingerprint changed, in one query, and adds up the rest. The
memory holds a few integers per event and tag; entries also expire after ``REPORTS_GROUPS_SECONDS``.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..households.models import POTENTIAL_GROUPS, Person, person_tags
from .funnel import Funnel, households
from .memo import GroupCache

#: Above this many events to recompute, the tags of every person are read once (a hash or automatic index
#: join); below it, the members of each household in the steps are looked up.
BULK = 40
FIELDS = ("listed", "visited", "invited", "attended", "attendees", "signed_up", "signups", "outside")
DEFAULT_SECONDS = 1800


def cache() -> GroupCache:
    """The application's cache of group counts."""
    app = current_app._get_current_object()
    found = app.extensions.get("portal_report_groups")
    if found is None:
        found = app.extensions["portal_report_groups"] = GroupCache(
            float(app.config.get("REPORTS_GROUPS_SECONDS", DEFAULT_SECONDS)))
    return found


def tags_fingerprint() -> tuple[int, int]:
    """How many tags there are and a sum over the people carrying them (changes when tags change)."""
    n, total = db.session.execute(select(func.count(), func.coalesce(func.sum(person_tags.c.person_id), 0))
                                  .select_from(person_tags)).one()
    return int(n), int(total)


def compute(event_ids: list[int]) -> dict[int, dict[str, tuple[int, ...]]]:
    """The group counts of some events, per event and tag, in one query."""
    if not event_ids:
        return {}
    units = households(event_ids)
    sums = [func.sum(getattr(units.c, f)) for f in FIELDS]
    if len(event_ids) > BULK:
        tagged = (select(Person.household_id.label("household_id"), person_tags.c.tag.label("tag"))
                  .join(person_tags, person_tags.c.person_id == Person.id).distinct()
                  .cte("household_tags").prefix_with("MATERIALIZED"))
        stmt = (select(units.c.event_id, tagged.c.tag, *sums)
                .join(tagged, tagged.c.household_id == units.c.household_id)
                .group_by(units.c.event_id, tagged.c.tag))
    else:
        # One row per unit, member and tag: keep one per unit and tag, then add them up.
        per_unit = (select(units.c.event_id, units.c.household_id, person_tags.c.tag.label("tag"),
                           *[func.max(getattr(units.c, f)).label(f) for f in FIELDS])
                    .join(Person, Person.household_id == units.c.household_id)
                    .join(person_tags, person_tags.c.person_id == Person.id)
                    .group_by(units.c.event_id, units.c.household_id, person_tags.c.tag).subquery("per_unit"))
        stmt = (select(per_unit.c.event_id, per_unit.c.tag, *[func.sum(getattr(per_unit.c, f)) for f in FIELDS])
                .group_by(per_unit.c.event_id, per_unit.c.tag))
    result: dict[int, dict[str, tuple[int, ...]]] = {e: {} for e in event_ids}
    for event_id, tag, *values in db.session.execute(stmt):
        result.setdefault(event_id, {})[tag] = tuple(int(v or 0) for v in values)
    return result


def by_group(per_event: dict[int, Funnel]) -> dict[str, Funnel]:
    """The funnel of each potential group over some events (their per-event funnels give the fingerprints)."""
    store = cache()
    tags = tags_fingerprint()
    found: dict[int, dict[str, tuple[int, ...]]] = {}
    missing = []
    for event_id, row in per_event.items():
        hit = store.get((event_id, row.trace, tags))
        if hit is None:
            missing.append(event_id)
        else:
            found[event_id] = hit
    if missing:
        computed = compute(sorted(missing))
        store.put({(e, per_event[e].trace, tags): computed.get(e, {}) for e in missing})
        found.update(computed)
    sums: dict[str, list[int]] = {tag: [0] * len(FIELDS) for tag in POTENTIAL_GROUPS}
    for counts in found.values():
        for tag, values in counts.items():
            into = sums.setdefault(tag, [0] * len(FIELDS))
            for i, value in enumerate(values):
                into[i] += value
    return {tag: Funnel(tag, **dict(zip(FIELDS, values, strict=True))) for tag, values in sums.items()}
