"""Labels of the events' values (kinds, statuses, media channels, audiences), for pages and forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..households.labels import POTENTIAL_GROUP_LABELS

KIND_LABELS = {
    "conference": _l("Outreach conference"),
    "training": _l("Training for agents"),
    "door_to_door": _l("Door-to-door day"),
    "mobile_propaganda": _l("Mobile propaganda"),
    "dialogue": _l("Dialogue"),
    "integrated_talk": _l("Talk within another meeting"),
    "round_table": _l("Round-table"),
    "legal_advice": _l("Legal-advice session"),
    "media": _l("Media work"),
}

MEDIA_CHANNEL_LABELS = {
    "loudspeaker": _l("Loudspeaker broadcasts"), "article": _l("Articles"), "post": _l("Posts on social media"),
}

STATUS_LABELS = {
    "draft": _l("Draft"), "scheduled": _l("Scheduled"), "held": _l("Held"),
    "results_entered": _l("Results entered"), "closed": _l("Closed"), "cancelled": _l("Cancelled"),
}

#: The potential groups an event can target (the households' wording).
AUDIENCE_LABELS = POTENTIAL_GROUP_LABELS
