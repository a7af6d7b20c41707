"""Events views, split by page: the list and calendar, one event (form, page, status, clone), the speakers.

The app factory imports this module (and views_speakers); importing the others here registers their routes.
"""

from flask_babel import lazy_gettext as _l

from ..auth.roles import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, all_roles
from ..core import nav
from . import views_calendar, views_clone, views_event  # noqa: F401  (routes)

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)

nav.register("events.index", _l("Events"), all_roles(), order=10)
nav.register("events.calendar", _l("Calendar"), {*EDITORS, VIEWER}, order=11)
