"""Labels of the campaigns' values (kinds, statuses, levels, metrics), for pages, forms and reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {"may_month": _l("May campaign month"), "wave": _l("Field wave (ra quân)"),
               "other": _l("Another kind of campaign")}

STATUS_LABELS = {"draft": _l("Draft"), "active": _l("Active"), "closed": _l("Closed")}

LEVEL_LABELS = {"office": _l("Offices"), "commune": _l("Communes"), "agent": _l("Agents"),
                "channel": _l("By channel"), "organisation": _l("Agent organisations"), "hamlet": _l("Hamlets")}

#: The heading of a grid's first column, per level.
SUBJECT_LABELS = {"office": _l("Office"), "commune": _l("Commune"), "agent": _l("Agent"), "channel": _l("Channel"),
                  "organisation": _l("Agent organisation"), "hamlet": _l("Hamlet")}

#: Channels of sign-ups (``results.models.CHANNELS``), for the results and the targets by channel alike.
CHANNEL_LABELS = {
    "event": _l("At an event"),
    "door": _l("Door-to-door visit"),
    "counter": _l("Collection point or post-office counter"),
    "online": _l("Online (VssID, public service portal)"),
    "other": _l("Other"),
}

#: Long names of the metrics (page text, reports).
METRIC_LABELS = {
    "new_bhxh_tn": _l("New voluntary social insurance participants"),
    "new_bhyt_hgd": _l("New household health insurance participants"),
    "renewals": _l("Renewals"),
    "conferences": _l("Conferences held"),
    "attendees": _l("Attendees"),
}

#: Short names for grid columns (the long name is the column's title).
METRIC_SHORT = {
    "new_bhxh_tn": _l("New BHXH TN"),
    "new_bhyt_hgd": _l("New BHYT HGĐ"),
    "renewals": _l("Renewals"),
    "conferences": _l("Conferences"),
    "attendees": _l("Attendees"),
}

BASIS_LABELS = {
    "copy": _l("Copy the targets of last year's May campaign"),
    "results": _l("What each commune achieved in last year's May campaign month"),
    "households": _l("A province total per metric, spread by the number of households"),
    "labour_force": _l("A province total per metric, spread by the labour force (aged 15 to 60)"),
    "fixed": _l("The same number for every commune"),
}

#: The figures of a commune a coverage rate is measured against (``models.CommuneFigures``).
FIGURE_LABELS = {"labour_force": _l("Labour force"), "population": _l("Population")}
