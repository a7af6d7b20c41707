"""Matrix entries: households and people."""

from . import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, Route, everyone, only, territorial

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
ALL = (*EDITORS, "agent", "viewer")

ROUTES = {
    # Search: everyone reads their own area; numbers only in POST bodies; tagging is for editors.
    "households.search": Route("GET", "/households/?q=nguyen", everyone()),
    "households.search_post": Route("POST", "/households/search", everyone(), data={"q": "0912345678"}),
    "households.bulk_tags": Route("POST", "/households/people/tags", only(*EDITORS),
                                  data=lambda w, t: {"tag": "small_trader", "action": "add",
                                                     "person": str(w.own.person.id)}),
    # Household and person pages: agents and viewers read, editors change, inside their territory only.
    "households.household": Route("GET", lambda w, t: f"/households/{t.household.id}", territorial(*ALL)),
    "households.edit_household": Route("GET", lambda w, t: f"/households/{t.household.id}/edit",
                                       territorial(*EDITORS)),
    "households.new_household": Route("GET", "/households/new", only(*EDITORS)),
    "households.person": Route("GET", lambda w, t: f"/households/people/{t.person.id}", territorial(*ALL)),
    "households.edit_person": Route("POST", lambda w, t: f"/households/people/{t.person.id}/edit",
                                    territorial(*EDITORS), data={"full_name": "", "version": "1"}),
    "households.add_member": Route("GET", lambda w, t: f"/households/{t.household.id}/members/new",
                                   territorial(*EDITORS)),
    # Lists and exports: every role, each limited to its area by the scope.
    "households.due": Route("GET", "/households/due?kind=paid_until&group=agent", everyone()),
    "households.due_xlsx": Route("GET", "/households/due.xlsx?kind=stopped", everyone()),
    "households.export_xlsx": Route("GET", "/households/export.xlsx?q=ho", everyone()),
}

ROUTES.update({
    "households.import_file": Route("GET", "/households/import", only(*EDITORS)),
    "households.import_template": Route("GET", "/households/import/template.xlsx", only(*EDITORS)),
})
