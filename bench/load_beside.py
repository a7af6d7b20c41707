"""What runs beside the load of bench/load.py: a big household import and a big invitation-letter job, repeated
until the run ends, each timed on its own (they are not pages: their times are reported apart from the pages'
p95), and the field mix of users (mostly agents on phones, pausing as people in the field do).

    .venv/bin/python bench/load.py --mix field --users 200 --beside-import 20 --beside-letters 5000
"""

from __future__ import annotations

import http.client
import re
import secrets
import threading
import time

#: Shares of the field mix and each role's mean pause between two pages (seconds): an agent walks between
#: houses and types on a phone; staff at the door check someone in every few seconds; officers read pages.
FIELD_MIX = (("agent", 0.6, 25.0), ("check_in", 0.1, 8.0), ("events_officer", 0.1, 12.0),
             ("households_officer", 0.1, 12.0), ("province_officer", 0.1, 20.0))
FINISHED_RE = re.compile(r'id="job-status"[^>]*hx-trigger')
JOB_RE = re.compile(r"/jobs/(\d+)")
UPLOAD_RE = re.compile(r'name="upload" value="([0-9a-f]{32})"')
CHECKING = 'data-state="checking"'


def letters(n: int) -> str:
    """A name part without digits for a number (0 -> "A", 25 -> "Z", 26 -> "Ab", ...)."""
    word = ""
    while True:
        n, rest = divmod(n, 26)
        word += chr(ord("a") + rest)
        if not n:
            return word.capitalize()


def big_import_file(megabytes: float, hamlet: str, valid: bool = False) -> bytes:
    """A CSV of people of about ``megabytes`` MB, just under the 20 MB upload limit at most and within the
    60,000-row limit: the columns the import knows, and a long remark column that it reports as unused. The
    names carry a number (each row is refused: the report lists 59,000 problems) unless ``valid`` (then they
    can be written)."""
    target = int(min(megabytes, 19.5) * 1024 * 1024)
    rows = 59_000
    header = "Họ và tên,Ngày sinh,Giới tính,Thôn/Tổ,Quan hệ với chủ hộ,Địa chỉ,Ghi chú\n"

    def line(n: int, remark: str) -> str:
        name = f"Lò Văn {letters(n)}" if valid else f"Lò Văn Thử {n}"
        return (f"{name},{1 + n % 28:02d}/{1 + n % 12:02d}/19{50 + n % 50},Nam,{hamlet},Chủ hộ,"
                f"Nhà {n},\"{remark}\"\n")

    base = len(line(rows, "").encode("utf-8"))
    words = "Hộ có người làm nghề tự do, đã nghe tuyên truyền ở thôn " * 40
    pad = max(0, (target - len(header.encode("utf-8"))) // rows - base)
    remark = words.encode("utf-8")[:pad].decode("utf-8", "ignore")
    return (header + "".join(line(n, remark) for n in range(rows))).encode("utf-8")


def multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----portalbench" + secrets.token_hex(8)
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Beside(threading.Thread):
    """A signed-in officer doing one long task again and again until the deadline."""

    def __init__(self, user, stats, deadline: float):
        super().__init__(daemon=True)
        self.user, self.stats, self.deadline = user, stats, deadline
        self.times: list[float] = []
        self.problems: list[str] = []

    def run(self) -> None:
        while time.perf_counter() < self.deadline:
            started = time.perf_counter()
            try:
                problem = self.once()
            except Exception as exc:  # noqa: BLE001 - reported, the loop goes on
                problem = f"{type(exc).__name__}: {exc}"
            self.times.append(time.perf_counter() - started)
            if problem:
                self.problems.append(problem)
                time.sleep(1)


class ImportBeside(Beside):
    """A local officer uploads a big household file, waits for its report (checked by a job while the page
    polls, as the browser does), then cancels it (deleting the kept file) or, every ``confirm_every``-th time,
    confirms it (written by a job; the same file again writes nothing new after the first time)."""

    def __init__(self, user, stats, deadline: float, megabytes: float, commune_id: int, hamlet: str,
                 confirm_every: int = 0):
        super().__init__(user, stats, deadline)
        self.commune_id = commune_id
        self.confirm_every = confirm_every
        self.data = big_import_file(megabytes, hamlet, valid=bool(confirm_every))
        self.label = f"import {len(self.data) / 1024 / 1024:.1f} MB"
        self.uploads: list[float] = []  #: seconds the upload request took (the web worker's share)
        self.reports: list[float] = []  #: seconds from the upload until the report was there
        self.rounds = 0

    def _post_file(self, path: str, page: str) -> tuple[int, str]:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        body, content_type = multipart({"csrf_token": token.group(1) if token else "",
                                        "commune": str(self.commune_id)}, "file", "danh-sach.csv", self.data)
        browser = self.user.browser
        conn = http.client.HTTPConnection("127.0.0.1", browser.port, timeout=600)
        headers = {"Content-Type": content_type,
                   "Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items())}
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        return response.status, text

    def once(self) -> str | None:
        path = f"/households/import?commune={self.commune_id}"
        page = self.user.get("import page", path)
        started = time.perf_counter()
        status, text = self._post_file(path, page)
        self.uploads.append(time.perf_counter() - started)
        if status not in (200, 422):
            return f"upload: HTTP {status}"
        upload = UPLOAD_RE.search(text)
        if not upload:
            return "upload: no report and no job"
        poll = f"{path}&upload={upload.group(1)}"
        while CHECKING in text:
            if time.perf_counter() > self.deadline + 600:
                return "the report did not come"
            time.sleep(1)
            status, headers, text = self.user.browser.request(
                "GET", poll, headers={"HX-Request": "true", "HX-Target": "import-status"})
            if status == 204:  # the page moved on: the check failed (its reason is flashed there)
                flashed = self.user.browser.request("GET", headers.get("HX-Redirect") or path)[2]
                reason = re.search(r'class="flash flash-error"[^>]*>([^<]*)', flashed)
                return "the check failed" + (f": {reason.group(1).strip()}" if reason else "")
            if status not in (200, 422):
                return f"poll: HTTP {status}"
        self.reports.append(time.perf_counter() - started)
        if 'data-state="ready"' not in text and 'data-state="refused"' not in text:
            return "the report is missing"
        self.rounds += 1
        confirm = bool(self.confirm_every) and self.rounds % self.confirm_every == 0 and 'name="confirm"' in text
        form = {"csrf_token": _csrf(text) or _csrf(page), "commune": str(self.commune_id),
                "upload": upload.group(1), ("confirm" if confirm else "cancel"): "1"}
        status, _headers, text = self.user.browser.request("POST", poll, form)
        if not confirm:
            return None if status == 303 else f"cancel: HTTP {status}"
        while CHECKING in text:
            if time.perf_counter() > self.deadline + 600:
                return "the import was not written"
            time.sleep(1)
            status, _headers, text = self.user.browser.request(
                "GET", poll, headers={"HX-Request": "true", "HX-Target": "import-status"})
        return None if status in (204, 303) else f"confirm: HTTP {status}"


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return found.group(1) if found else ""


class LettersBeside(Beside):
    """A local officer starts the invitation letters job of a big event and waits until it is done."""

    def __init__(self, user, stats, deadline: float, event_id: int, letters: int):
        super().__init__(user, stats, deadline)
        self.event_id = event_id
        self.label = f"{letters:,} letters job"

    def once(self) -> str | None:
        page = self.user.get("documents page", f"/events/{self.event_id}/print/")
        status, headers, _text = self.user.post_form("start letters job", f"/events/{self.event_id}/print/"
                                                     "invitations-job", page, {}, expect=(303,))
        found = JOB_RE.search(headers.get("Location", "") if headers else "")
        if status != 303 or not found:
            return f"the job did not start (HTTP {status})"
        job = f"/jobs/{found.group(1)}"
        while time.perf_counter() < self.deadline + 600:
            text = self.user.browser.request("GET", job)[2]
            if not FINISHED_RE.search(text):
                return "the job failed" if "flash-error" in text else None
            time.sleep(2)
        return "the job did not finish"


def ensure_letters_event(office_id: int, letters: int) -> int:
    """A scheduled event of the office with at least ``letters`` invitations (made once, kept); inside an app
    context of the bench database."""
    from sqlalchemy import func, select

    from portal.events.models import Event
    from portal.extensions import db
    from portal.geo.models import Commune
    from portal.households.models import Household
    from portal.results.models import Invitation

    counts = (select(Invitation.event_id, func.count().label("n")).group_by(Invitation.event_id).subquery())
    best = db.session.execute(
        select(Event.id, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.event_id == Event.id)
        .where(Event.organiser_office_id == office_id, Event.status == "scheduled")
        .order_by(func.coalesce(counts.c.n, 0).desc()).limit(1)).first()
    if best is None:
        raise RuntimeError(f"office {office_id} has no scheduled event")
    event_id, have = best
    if have < letters:
        invited = select(Invitation.household_id).where(Invitation.event_id == event_id)
        households = db.session.scalars(
            select(Household.id).join(Commune, Commune.id == Household.commune_id)
            .where(Commune.office_id == office_id, Household.id.not_in(invited))
            .order_by(Household.id).limit(letters - have)).all()
        db.session.add_all(Invitation(event_id=event_id, household_id=h, token=secrets.token_hex(16),
                                      expected_attendees=1) for h in households)
        db.session.commit()
    return event_id


def report(besides: list[Beside]) -> None:
    for beside in besides:
        if not beside.times:
            continue
        times = sorted(beside.times)
        print(f"beside the load: {beside.label}: {len(times)} done, {times[len(times) // 2]:.1f} s median, "
              f"{times[-1]:.1f} s longest; problems: {len(beside.problems)}"
              + (f" (first: {beside.problems[0]})" if beside.problems else ""))
        for name in ("uploads", "reports"):
            phase = sorted(getattr(beside, name, []))
            if phase:
                print(f"  {name[:-1]}: {phase[len(phase) // 2]:.1f} s median, {phase[-1]:.1f} s longest")
