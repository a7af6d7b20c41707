"""Campaign views, split by page: campaigns (list, one campaign, form, status), the May wizard, the targets
grid, and targets to and from XLSX.

The app factory imports this module; importing the others here registers their routes.
"""

from flask_babel import lazy_gettext as _l

from ..auth.roles import READERS
from ..core import nav
from . import views_campaigns, views_files, views_targets, views_wizard  # noqa: F401  (routes)

nav.register("campaigns.index", _l("Campaigns"), READERS, order=25)
