"""Numbers in URLs and forms are kept to what a database integer holds.

An id or a year typed as 20 digits, or a negative one, is nobody's: a route's ``<int:...>`` beyond a 32-bit
integer does not match (404), ``request.args.get(name, type=int)`` (and ``request.values``, ``request.form``)
gives the default for a value out of range, and anything that still reaches the database out of range answers
404 instead of failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from flask import Flask, Request, abort, request
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

#: The range of a 32-bit signed integer column (PostgreSQL INTEGER, and the ids of every table).
MIN_INT = -(2**31)
MAX_INT = 2**31 - 1


def in_range(value: int) -> bool:
    return MIN_INT <= value <= MAX_INT


T = TypeVar("T")


def chosen(rows: Sequence[T], name: str) -> T:
    """The row among ``rows`` (a page's choices: offices, communes in scope) whose id the request's value
    ``name`` gives, the first when it gives none; 404 when it names another or there is none to choose."""
    wanted = request.values.get(name, type=int)
    row = next((r for r in rows if r.id == wanted), None) if wanted else (rows[0] if rows else None)
    if row is None:
        abort(404)
    return row


def _checked(value, default, type):
    if type is int and isinstance(value, int) and not in_range(value):
        return default
    return value


class BoundedArgs(ImmutableMultiDict):
    """Query or form values whose ``get(..., type=int)`` refuses out-of-range numbers."""

    def get(self, key, default=None, type=None):
        return _checked(super().get(key, default=default, type=type), default, type)


class BoundedValues(CombinedMultiDict):
    """``request.values`` with the same rule."""

    def get(self, key, default=None, type=None):
        return _checked(super().get(key, default=default, type=type), default, type)


class PortalRequest(Request):
    parameter_storage_class = BoundedArgs

    @cached_property
    def values(self) -> CombinedMultiDict:
        return BoundedValues(Request.values.fget(self).dicts)


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that matches only what an integer column can hold."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=MIN_INT if min is None else min,
                         max=MAX_INT if max is None else max, signed=signed)


def _out_of_range(error: Exception):
    """A number beyond what the database holds reached a query: the thing asked for does not exist."""
    from ..extensions import db
    from .errors import render_error

    db.session.rollback()
    return render_error(NotFound.code)


def _numeric_out_of_range(error):
    from sqlalchemy.exc import DataError

    pgcode = getattr(getattr(error, "orig", None), "sqlstate", None) or getattr(getattr(error, "orig", None),
                                                                                  "pgcode", None)
    if isinstance(error, DataError) and pgcode == "22003":  # numeric_value_out_of_range
        return _out_of_range(error)
    raise error


def init_app(app: Flask) -> None:
    app.request_class = PortalRequest
    app.url_map.converters["int"] = BoundedIntConverter
    app.register_error_handler(OverflowError, _out_of_range)
    from sqlalchemy.exc import DataError

    app.register_error_handler(DataError, _numeric_out_of_range)
