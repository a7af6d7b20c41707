"""Events views, split by page: the list and calendar, one event (form, page, status, clone), the speakers.

The app factory imports this module (and views_speakers); importing the others here registers their routes.
"""

from flask_babel import lazy_gettext as _l

from ..auth.roles import EVERYONE, READERS
from ..core import nav
from . import views_calendar, views_clone, views_event  # noqa: F401  (routes)

nav.register("events.index", _l("Events"), EVERYONE, order=10)
nav.register("events.calendar", _l("Calendar"), READERS, order=11)
