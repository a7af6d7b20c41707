"""A random sample of people, kept a few minutes per process, that tells the search planner how often the
words, filters and scope of a query go together (common words that rarely meet, a filter that thins out a
common name) without counting them in the database.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import func, select

from ..extensions import db
from . import search
from .models import Person, person_tags, words_after
from .search import active

#: People in the sample, and how long it is kept.
SAMPLE_SIZE = 2000
SAMPLE_SECONDS = 300
#: Condition masks kept per sample (words typed again, the same scope and filters).
MASKS_KEPT = 1000

_lock = threading.Lock()
_samples: dict[str, Sample] = {}


class Row(SimpleNamespace):
    """What the planner checks of one sampled person: the people columns the filters read (by their names:
    search.Condition.columns), and

    - ``padded``: the folded name with a space on each side (a phrase is found as " phrase " or " phrase");
    - ``after``: each word of the folded name with its words_after (models.words_after); ``last``: the last;
    - ``tags``: the person's potential-group tags.
    """


def sampled_columns() -> list[str]:
    """The people columns the filters read, each once."""
    names = []
    for condition in search.CONDITIONS:
        names += [name for name in condition.columns if name not in names and name != "id"]
    return names


@dataclass
class Sample:
    """Sampled people and the number of people they stand for."""

    people: int
    rows: list[Row]
    taken: float
    #: Bit masks of the rows that pass a condition, by the condition's key.
    masks: dict = field(default_factory=dict)

    @property
    def everyone(self) -> int:
        return (1 << len(self.rows)) - 1

    def mask(self, key, make_test) -> int:
        """The rows passing a condition as a bit mask (bit i: row i), kept by ``key``; ``make_test()`` gives
        the function of a row, called on a miss only."""
        found = self.masks.get(key)
        if found is None:
            test = make_test()
            found = int("".join("1" if test(r) else "0" for r in reversed(self.rows)) or "0", 2)
            if len(self.masks) >= MASKS_KEPT:
                self.masks.clear()
            self.masks[key] = found
        return found


def current() -> Sample:
    """The sample for this database, taken again when it is older than SAMPLE_SECONDS."""
    key = db.engine.url.render_as_string(hide_password=True)
    with _lock:
        sample = _samples.get(key)
    if sample is not None and time.monotonic() - sample.taken < SAMPLE_SECONDS:
        return sample
    sample = _take()
    with _lock:
        _samples[key] = sample
    return sample


def forget() -> None:
    """Drop every kept sample (tests that change the data's make-up)."""
    with _lock:
        _samples.clear()


def _take() -> Sample:
    people = db.session.scalar(select(func.count()).select_from(Person)) or 0
    names = sampled_columns()
    columns = (Person.id, Person.full_name, Person.search_name, *(Person.__table__.c[name] for name in names))
    if people <= SAMPLE_SIZE:
        found = db.session.execute(select(*columns)).all()
    else:
        low, high = db.session.execute(select(func.min(Person.id), func.max(Person.id))).one()
        rng = random.Random()  # noqa: S311 - a statistical sample, not a secret
        ids = sorted(rng.sample(range(low, high + 1), min(high - low + 1, SAMPLE_SIZE)))
        found = db.session.execute(select(*columns).where(Person.id.in_(ids))).all()
    tags: dict[int, set[str]] = {}
    ids = [r.id for r in found]
    for chunk in range(0, len(ids), 1000):
        for person_id, tag in db.session.execute(select(person_tags.c.person_id, person_tags.c.tag).where(
                person_tags.c.person_id.in_(ids[chunk:chunk + 1000]))):
            tags.setdefault(person_id, set()).add(tag)
    rows = [Row(**{name: getattr(r, name) for name in names}, padded=f" {r.search_name} ",
                after=words_after(r.full_name, r.search_name), last=r.search_name.rsplit(" ", 1)[-1],
                tags=frozenset(tags.get(r.id, ()))) for r in found]
    return Sample(people=people, rows=rows, taken=time.monotonic())


# --- Pricing the drivers of a query (see search_plan.py) --------------------------------------------------

#: Costs relative to reading one index row: also reading the person's row for a check, probing a tag's row,
#: sorting a row, starting one walk of a merged plan.
ROW_COST = 20
PROBE_COST = 8
SORT_COST = 4
ARM_COST = 30


def _conditions(q) -> dict[str, tuple]:
    """The query's conditions as (key, function giving a test of a sampled person), by name: the scope, the
    name's phrase, and each filter (search.CONDITIONS, by its argument name)."""
    communes = None if q.communes is None else frozenset(q.communes)
    hamlets = None if q.hamlets is None else frozenset(q.hamlets)
    conditions: dict[str, tuple] = {"scope": (("scope", communes, hamlets), lambda: lambda r: (
        (communes is None or r.commune_id in communes) and (hamlets is None or r.hamlet_id in hamlets)))}
    if q.words:
        phrase = " " + " ".join(q.words) + ("" if q.prefix else " ")
        conditions["phrase"] = (("phrase", phrase), lambda: lambda r: phrase in r.padded)
    for condition, value in active(q.f):
        conditions[condition.arg] = ((condition.arg, value, q.today),
                                     lambda c=condition, v=value: c.test(v, q.today))
    return conditions


def _answered(driver, conditions: dict[str, tuple]) -> set[str]:
    """The conditions a driver checks on its own index rows (the others read the person's row or probe)."""
    columns = driver.columns
    answered = {"scope"} | ({"phrase"} if "search_name" in columns else set())
    by_arg = {c.arg: c for c in search.CONDITIONS}
    return answered | {name for name in conditions if name in by_arg and by_arg[name].probe is None
                       and set(by_arg[name].columns) <= columns}


def _own(driver, conditions: dict[str, tuple]) -> tuple:
    """A driver's own condition over the whole country, as (key, test maker)."""
    value = driver.value
    if driver.name == "word":
        return ("word", value), lambda: lambda r: value in r.after
    if driver.name == "prefix":
        return ("prefix", value), lambda: lambda r: any(w.startswith(value) for w in r.after)
    if driver.name in ("all", "commune"):
        return ("everyone",), lambda: lambda r: True
    return conditions[{"hamlets": "scope"}.get(driver.name, driver.name)]


def _walk_masks(sample: Sample, driver, q, walks) -> list[int]:
    """The sampled rows each ordered walk of a driver reads (search_plan.walks), over the whole country."""
    if driver.name != "word":
        return [sample.mask(*_own(driver, _conditions(q)))]
    word, last, prefix = driver.value, q.words[-1], q.prefix
    masks = []
    for after, keys in walks:
        if keys is None:
            masks.append(sample.mask(("after", word, after), lambda after=after: lambda r: r.after.get(word) == after))
        else:
            masks.append(sample.mask(("ends", word, after, last, prefix), lambda after=after: lambda r: (
                r.after.get(word) == after and (r.last.startswith(last) if prefix else r.last == last))))
    return masks


def price(q, drivers: list, need: int, counted_up_to: int, walks) -> None:
    """Set each driver's estimated size and cost for finding ``need`` people of the query ``q`` (``walks``:
    search_plan.walks).

    An ordered walk reads rows until it has ``need`` matches: about need / (share of its rows that match),
    at most all of them; a driver with several walks (a word: where the phrase ends the name, and where it
    does not) adds them up; an unordered driver reads all its rows and sorts its matches. A row costs 1, plus
    ROW_COST (or PROBE_COST for a tag) for the share of rows that pass the checks made on the driver's own
    index and need the person's row; a merged walk reads only its communes' rows and costs ARM_COST a walk.
    """
    sample = current()
    people = max(sample.people, 1)
    n_rows = max(len(sample.rows), 1)
    conditions = _conditions(q)
    masks = {name: sample.mask(*condition) for name, condition in conditions.items()}
    matching = sample.everyone
    for mask in masks.values():
        matching &= mask
    for d in drivers:
        everywhere = sample.mask(*_own(d, conditions))
        within = everyone = sample.everyone
        if d.communes is not None:
            communes = frozenset(d.communes)
            within = sample.mask(("communes", communes), lambda communes=communes: lambda r: r.commune_id in communes)
        n_everywhere = everywhere.bit_count()
        if d.name == "all":
            d.size = float(people)
        elif d.name == "commune":
            d.size = (within & everyone).bit_count() / n_rows * people
        elif d.size > counted_up_to:  # counted: there are more
            d.size = max(d.size, n_everywhere / n_rows * people)
        # People the driver's rows stand for, per sampled row of it (its exact size when counted).
        scale = d.size / n_everywhere if d.name not in ("all", "commune") and n_everywhere else people / n_rows
        answered = _answered(d, conditions)
        probed = {c.arg for c in search.CONDITIONS if c.probe is not None and c.arg in conditions} - {d.name}
        rest = [name for name in conditions if name not in answered and name not in probed and name != d.name]
        extra = (ROW_COST if rest else 0) + (PROBE_COST if probed else 0)
        cost = size = 0.0
        arms = _walk_masks(sample, d, q, walks(d, q)) if d.ordered else [everywhere]
        for arm in arms:
            mine = arm & within
            n_mine = mine.bit_count()
            arm_size = n_mine * scale
            share = (matching & mine).bit_count() / n_mine if n_mine else 0.0
            passing = mine
            for name in answered:
                passing &= masks.get(name, passing)
            per_row = 1 + (passing.bit_count() / n_mine if n_mine else 1.0) * extra
            if d.ordered:
                cost += (arm_size if share * arm_size <= need else need / share) * per_row
            else:
                cost += arm_size * per_row + share * arm_size * SORT_COST
            size += arm_size
        d.size = size if d.name != "all" else d.size
        d.cost = cost + (ARM_COST * len(d.communes) * len(arms) if d.communes is not None else 0)
