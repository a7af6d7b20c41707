"""Campaign views, split by page: campaigns (list, one campaign, form, status), the May wizard, the targets
grid, and targets to and from XLSX.

The app factory imports this module; importing the others here registers their routes.
"""


from . import views_campaigns, views_files, views_targets, views_wizard  # noqa: F401  (routes)

