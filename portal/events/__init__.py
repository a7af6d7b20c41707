"""Events: outreach conferences, trainings, door-to-door days; scheduling and the event page."""

from . import views_calendar, views_clone, views_event, views_speakers  # noqa: F401  (register their routes on bp)
from .blueprint import bp
from .nav import event_nav

bp.add_app_template_global(event_nav, "event_nav")  # drawn by events/_frame.html on every page of an event

__all__ = ["bp"]
