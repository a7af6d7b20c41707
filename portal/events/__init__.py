"""Events: outreach conferences, trainings, door-to-door days; scheduling and the event page."""

from . import views_calendar, views_clone, views_event, views_speakers  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
