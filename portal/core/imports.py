"""One way to import a file: upload, analysis into a row-level report, confirm (or cancel), write.

- The upload is kept in the file store (``portal.storage``) under a random name, never in the session, with a
  small record of who uploaded it for which page (the *slot*: e.g. ``households-12``, the commune imported
  into). Only that user, on that page, can see its report or confirm it. A new upload, a confirmation, a
  cancellation or an hour without use deletes it.
- A small file is analysed at once. A bigger one (``IMPORT_INLINE_MAX_BYTES``), on a page that names a
  registered background analysis (:func:`register`), is analysed by a job of ``portal.jobs`` (RQ with
  ``REDIS_URL``, the local runner otherwise) and the page polls until its report is there. Its confirmation
  runs as a job as well (analysed again, since the database may have changed, and written in one transaction).
- The report is pickled into the store next to the file, signed with the app's secret key, so that a report
  written by a worker is shown by any web process and nothing unsigned is ever unpickled.

Pages show it all with the macros of ``templates/_imports.html``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from flask import current_app, flash, g, has_request_context, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..storage import storage
from .rendering import render_page

#: Uploads unused this long (seconds) are deleted.
MAX_AGE = 3600
#: Where kept uploads are in the file store.
PREFIX = "uploads/pending/"
#: Files up to this size are analysed in the request; bigger ones in a job when a page registered one.
INLINE_MAX_BYTES = 256 * 1024


@dataclass
class FileReport:
    """What the import of a file would do (or did): its rows new, updated and unchanged, the cells it refuses
    (row, column, reason), or why the file can't be read at all. Nothing is written while anything is refused.
    Each importer's ``Report`` adds what its page shows besides."""

    new: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.rejected

    def count(self, row, on_record: tuple | None, in_file: tuple) -> None:
        """Count a valid row: new when nothing is on record for it, updated when what is on record differs from
        the file, unchanged otherwise."""
        if on_record is None:
            self.new.append(row)
        elif on_record != in_file:
            self.updated.append(row)
        else:
            self.unchanged += 1


class Conflict(Exception):
    """The data changed between the report and the confirmation: nothing was written (message for the user)."""


@dataclass
class Background:
    """What a job needs to analyse (and write) a page's file without the request: functions of JSON params."""

    analyse: Callable[[dict, bytes, str], Any]
    #: Writes a clean report and records its audit entry (never commits); returns the message for the user.
    apply: Callable[[dict, Any, str], str] | None = None


BACKGROUND: dict[str, Background] = {}
#: Set by ``portal.jobs``: create(kind, user, params) -> job id (committed), submit(job id), and
#: state(job id) -> (status, message, percent).
_queue: Any = None


def register(name: str, analyse: Callable[[dict, bytes, str], Any],
             apply: Callable[[dict, Any, str], str] | None = None) -> None:
    """Let a page's big files be analysed (and written) by a job: ``analyse(params, data, filename)``."""
    BACKGROUND[name] = Background(analyse, apply)


def set_queue(queue) -> None:
    """The job queue (installed by ``portal.jobs``)."""
    global _queue
    _queue = queue


@dataclass
class Job:
    """A page's background part: which registered analysis and with what (JSON) parameters."""

    name: str
    params: dict = field(default_factory=dict)


@dataclass
class Pending:
    """An upload awaiting its report or its confirmation (its record in the store, as JSON)."""

    token: str
    slot: str
    user_id: int
    filename: str
    size: int
    created: float
    job: str | None = None  #: the registered background analysis, when the page has one
    params: dict = field(default_factory=dict)
    kept: bool = True  #: the file is still there (only a report worth confirming keeps it)
    report: bool = False  #: a report is stored
    ok: bool = False  #: the stored report is clean
    job_id: int | None = None  #: the job analysing it, or writing it
    writing: bool = False  #: the job is the confirmation's

    @property
    def expired(self) -> bool:
        return time.time() - self.created > MAX_AGE


def _record_key(user_id: int, slot: str) -> str:
    digest = hashlib.sha256(slot.encode()).hexdigest()[:24]
    return f"{PREFIX}u{int(user_id)}-{digest}.json"


def _file_key(token: str) -> str:
    return f"{PREFIX}{token}.bin"


def _report_key(token: str) -> str:
    return f"{PREFIX}{token}.report"


def _sign(data: bytes) -> bytes:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), data, hashlib.sha256).digest()


def load(user_id: int, slot: str) -> Pending | None:
    """The user's upload for this page, or None (an expired one is deleted)."""
    store = storage()
    key = _record_key(user_id, slot)
    if not store.exists(key):
        return None
    try:
        pending = Pending(**json.loads(store.read(key)))
    except (ValueError, TypeError):
        store.delete(key)
        return None
    if pending.slot != slot or pending.user_id != user_id:
        return None
    if pending.expired:
        drop(pending)
        return None
    return pending


def save(pending: Pending) -> None:
    storage().put(_record_key(pending.user_id, pending.slot), json.dumps(asdict(pending)).encode())


def drop(pending: Pending) -> None:
    """Delete the upload, its report and its record."""
    store = storage()
    for key in (_file_key(pending.token), _report_key(pending.token), _record_key(pending.user_id, pending.slot)):
        store.delete(key)


def sweep() -> None:
    """Delete every kept upload, report and record older than MAX_AGE (whoever kept them)."""
    store = storage()
    for entry in list(store.list(PREFIX)):
        if time.time() - entry.modified.timestamp() > MAX_AGE:
            store.delete(entry.key)


def store_report(pending: Pending, report) -> None:
    body = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    storage().put(_report_key(pending.token), _sign(body) + body)
    pending.report, pending.ok = True, bool(getattr(report, "ok", False))


def stored_report(pending: Pending):
    """The report of the upload, or None (missing, or not signed by this portal)."""
    store = storage()
    key = _report_key(pending.token)
    if not pending.report or not store.exists(key):
        return None
    blob = store.read(key)
    signature, body = blob[:32], blob[32:]
    if not hmac.compare_digest(signature, _sign(body)):
        return None
    return pickle.loads(body)  # noqa: S301 - written and signed by this portal


def read(pending: Pending) -> bytes | None:
    store = storage()
    key = _file_key(pending.token)
    return store.read(key) if pending.kept and store.exists(key) else None


def keep(slot: str, data: bytes, filename: str) -> Pending:
    """Keep a file the page checked itself (a page whose form is more than a file) until it is confirmed."""
    discard(slot)
    sweep()
    pending = Pending(secrets.token_hex(16), slot, current_user.id, (filename or "file")[:200], len(data),
                      time.time())
    storage().put(_file_key(pending.token), data)
    save(pending)
    return pending


def take(slot: str) -> tuple[bytes, str] | None:
    """The file kept for this user's confirmation on this page (then deleted), or None when it expired."""
    pending = load(current_user.id, slot)
    if pending is None:
        return None
    data = read(pending)
    drop(pending)
    return None if data is None else (data, pending.filename)


def discard(slot: str) -> None:
    """Delete the file this user kept on this page, if any."""
    pending = load(current_user.id, slot)
    if pending is not None:
        drop(pending)


@dataclass
class ImportStep:
    """Where an import stands after this request."""

    report: Any = None  #: the report of the upload, if it is ready
    filename: str | None = None
    status: int = 200  #: 422 when the form or the file was refused
    confirmed: bool = False  #: the user confirmed a clean report analysed again now: the page writes it
    expired: bool = False  #: nothing to show: the page redirects to itself (a message was flashed)
    pending: Pending | None = None  #: the upload, while a job analyses or writes it
    state: tuple | None = None  #: the job's (status, message, percent) while it runs
    written: str | None = None  #: the job wrote the file: its message (the page redirects to its result)
    poll_url: str | None = None  #: where the page asks again while a job runs
    token: str | None = None  #: the upload's token (sent back with a confirmation or a cancellation)

    def answer(self, *, page: str, write: Callable[[Any, str], str], done: str, template: str,
               context: dict) -> ResponseReturnValue:
        """The page's answer, the same on every import page: back to the page (``page``) when the upload
        expired or was cancelled; once confirmed, ``write(report, filename)`` (services that write and audit,
        returning the message for the user), committed for the view, and on to ``done``; otherwise the page
        (``template`` with ``context``, the form and this step) or its status fragment while a job runs."""
        if self.expired:
            return redirect(page, code=303)
        if self.confirmed:
            message = write(self.report, self.filename)
            db.session.commit()
            flash(message, "success")
            return redirect(done, code=303)
        return render_page(template, {**context, "step": self}, fragment="import_status", status=self.status)


def _size_of(stream) -> int:
    """The size of an uploaded file (Werkzeug keeps it in memory or in a temporary file), read from its end."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _in_background(size: int, job: Job | None) -> bool:
    if job is None or job.name not in BACKGROUND or _queue is None:
        return False
    limit = current_app.config.get("IMPORT_INLINE_MAX_BYTES", INLINE_MAX_BYTES)
    return size > limit


def _poll_url(url: str, token: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}upload={token}"


def _expired() -> ImportStep:
    flash(_("The uploaded file has expired; upload it again."), "warning")
    return ImportStep(expired=True)


def _analysed(pending: Pending, report, worth_keeping: Callable[[Any], bool], url: str) -> ImportStep:
    """Keep the report (and the file when it is worth confirming) and show it."""
    if not worth_keeping(report):
        storage().delete(_file_key(pending.token))
        pending.kept = False
    store_report(pending, report)
    save(pending)
    return ImportStep(report, pending.filename, 200 if report.ok else 422, token=pending.token,
                      poll_url=_poll_url(url, pending.token))


def _start(pending: Pending, *, writing: bool, url: str) -> ImportStep:
    """Queue the job; the record names it before the job can run (the job then writes the record alone)."""
    pending.writing = writing
    pending.job_id = _queue.create("import_apply" if writing else "import_analysis", current_user,
                                   {"slot": pending.slot, "token": pending.token})
    save(pending)
    _queue.submit(pending.job_id)
    fresh = load(pending.user_id, pending.slot)  # an inline runner has finished it already
    return _running(fresh or pending, url)


def _busy(pending: Pending) -> bool:
    return bool(pending.job_id) and _queue is not None and _queue.state(pending.job_id)[0] not in ("done", "failed")


def _running(pending: Pending, url: str) -> ImportStep:
    state = _queue.state(pending.job_id)
    if state[0] in ("done", "failed"):
        return shown(pending, url)
    return ImportStep(filename=pending.filename, pending=pending, state=state, token=pending.token,
                      poll_url=_poll_url(url, pending.token))


def step(slot: str, form, analyse: Callable[[bytes, str], Any], worth_keeping: Callable[[Any], bool], *,
         url: str, job: Job | None = None) -> ImportStep:
    """The shared steps of every file import, for the page at ``url`` (its own URL with its arguments).

    ``analyse(data, filename)`` returns a report with ``ok``; ``worth_keeping(report)`` says whether the file
    is kept for a confirmation (usually: clean and changing something). ``job`` names the page's registered
    background analysis and its parameters, used for files above ``IMPORT_INLINE_MAX_BYTES``.
    A new upload replaces the kept one; "recheck" analyses the kept file again with the choices the form now
    carries; "confirm" analyses it again (the database may have changed) and, when clean, has the page write
    it (or a job, for a big file); "cancel" deletes it.
    """
    user_id = current_user.id
    pending = load(user_id, slot)
    token = request.values.get("upload")
    if token and (pending is None or not hmac.compare_digest(pending.token, token)):
        return _expired()  # replaced, expired, or another user's
    posted = request.method == "POST"
    if posted and request.form.get("cancel"):
        if pending is not None:
            drop(pending)
        flash(_("The import was cancelled and the file deleted."), "info")
        return ImportStep(expired=True)
    if posted and (request.form.get("recheck") or request.form.get("confirm")):
        data = read(pending) if pending is not None and not pending.writing and not _busy(pending) else None
        if data is None:
            return _expired()
        if job is not None:
            pending.params = job.params
        if request.form.get("recheck"):
            if _in_background(pending.size, job):
                return _start(pending, writing=False, url=url)
            return _analysed(pending, analyse(data, pending.filename), worth_keeping, url)
        if pending.report and not pending.ok:  # the report the user saw refused the file
            return shown(pending, url)
        if _in_background(pending.size, job) and BACKGROUND[job.name].apply is not None:
            return _start(pending, writing=True, url=url)
        report = analyse(data, pending.filename)
        drop(pending)
        return ImportStep(report, pending.filename, 200 if report.ok else 422, confirmed=bool(report.ok))
    if posted and form.validate_on_submit():
        if pending is not None:
            drop(pending)
        sweep()
        upload = form.file.data
        size = _size_of(upload.stream)
        pending = Pending(secrets.token_hex(16), slot, user_id, (upload.filename or "file")[:200],
                          size, time.time(), job.name if job else None, job.params if job else {})
        if _in_background(size, job):
            # Copied to the store block by block: a web worker that held a 20 MB file in memory once keeps the
            # memory (the allocator does not give it back), and a job analyses it anyway.
            storage().put(_file_key(pending.token), upload.stream)
            return _start(pending, writing=False, url=url)
        data = upload.read()
        storage().put(_file_key(pending.token), data)
        return _analysed(pending, analyse(data, pending.filename), worth_keeping, url)
    if not posted and pending is not None and (token or pending.job_id):
        return shown(pending, url)  # a job's upload is found again by coming back to the page
    return ImportStep(status=422 if form.is_submitted() else 200)


def shown(pending: Pending, url: str) -> ImportStep:
    """The upload as it stands: its job's progress, the job's outcome, or its report."""
    if pending.job_id:
        status, message, _percent = _queue.state(pending.job_id)
        if status == "failed":
            drop(pending)
            flash(message, "error")
            return ImportStep(expired=True)
        if status != "done":
            return _running(pending, url)
        if pending.writing:
            drop(pending)
            return ImportStep(written=message)
    report = stored_report(pending)
    if report is None:
        return _expired()
    return ImportStep(report, pending.filename, 200 if report.ok else 422, token=pending.token,
                      poll_url=_poll_url(url, pending.token))


def run(params: dict, user, *, writing: bool, progress: Callable[[str], None]) -> str:
    """A job's part: analyse the upload named by ``params`` (as its owner) and store its report, or, when
    ``writing``, analyse it again and write it. Returns the message for the job's row; raises Conflict with the
    reason the user reads when it cannot."""
    pending = load(user.id, params["slot"])
    if pending is None or pending.token != params.get("token") or pending.job is None:
        raise Conflict(_("The uploaded file has expired; upload it again."))
    background = BACKGROUND[pending.job]
    data = read(pending)
    if data is None:
        raise Conflict(_("The uploaded file has expired; upload it again."))
    with _as(user):
        progress(_("Checking %(file)s…", file=pending.filename))
        report = background.analyse(pending.params, data, pending.filename)
        if not writing:
            worth = getattr(report, "ok", False)
            if not worth and getattr(report, "readable", False):
                worth = True  # the user may still choose other columns
            if not worth:
                storage().delete(_file_key(pending.token))
                pending.kept = False
            store_report(pending, report)
            save(pending)
            return _("The report is ready.")
        if not report.ok:
            store_report(pending, report)
            save(pending)
            raise Conflict(_("The file no longer passes the checks (the data changed meanwhile); nothing was "
                             "written. Upload it again to see the current report."))
        progress(_("Saving %(file)s…", file=pending.filename))
        message = background.apply(pending.params, report, pending.filename)
        storage().delete(_file_key(pending.token))  # the record stays until the page shows the outcome
        pending.kept = False
        save(pending)
        return message


class _as:
    """Run as the upload's owner (their scope, their audit entries), inside a request context of its own when
    the job runs outside the owner's request."""

    def __init__(self, user):
        self.user = user
        self.context = None

    def __enter__(self):
        if has_request_context() and getattr(current_user, "id", None) == self.user.id:
            return self
        self.context = current_app.test_request_context()
        self.context.push()
        self.saved = {k: g.pop(k) for k in ("_login_user", "scope", "sqlite_write") if k in g}
        g._login_user = self.user
        # A job writes as it goes (progress, audit entries): on SQLite each of its transactions takes the write
        # lock when it begins (parsing the file gives it back: core.tabular), so that a write never finds its
        # snapshot outdated by another connection's.
        g.sqlite_write = True
        return self

    def __exit__(self, *exc):
        if self.context is not None:
            for key in ("_login_user", "scope", "sqlite_write"):
                g.pop(key, None)
            for key, value in self.saved.items():
                setattr(g, key, value)
            self.context.pop()
        return False
