"""Events views, split by page: the list and calendar, one event (form, page, status, clone), the speakers.

The app factory imports this module (and views_speakers); importing the others here registers their routes.
"""


from . import views_calendar, views_clone, views_event  # noqa: F401  (routes)

