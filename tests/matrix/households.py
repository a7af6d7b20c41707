"""Matrix entries: households and people."""

from . import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, Route, everyone, only, territorial

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
ALL = (*EDITORS, "agent", "viewer")

ROUTES = {
    "households.search": Route("GET", "/households/?q=nguyen", everyone()),
    "households.search_post": Route("POST", "/households/search", everyone(), data={"q": "0912345678"}),
    "households.bulk_tags": Route("POST", "/households/people/tags", only(*EDITORS),
                                  data={"tag": "small_trader", "action": "add"}),
    "households.household": Route("GET", lambda w, t: f"/households/{t.household.id}", territorial(*ALL)),
    "households.edit_household": Route("GET", lambda w, t: f"/households/{t.household.id}/edit",
                                       territorial(*EDITORS)),
    "households.new_household": Route("GET", "/households/new", only(*EDITORS)),
    "households.person": Route("GET", lambda w, t: f"/households/people/{t.person.id}", territorial(*ALL)),
    "households.edit_person": Route("GET", lambda w, t: f"/households/people/{t.person.id}/edit",
                                    territorial(*EDITORS)),
    "households.add_member": Route("GET", lambda w, t: f"/households/{t.household.id}/members/new",
                                   territorial(*EDITORS)),
    "households.due": Route("GET", "/households/due", everyone()),
    "households.due_xlsx": Route("GET", "/households/due.xlsx", everyone()),
    "households.export_xlsx": Route("GET", "/households/export.xlsx", everyone()),
}

ROUTES.update({
    "households.import_file": Route("GET", "/households/import", only(*EDITORS)),
    "households.import_template": Route("GET", "/households/import/template.xlsx", only(*EDITORS)),
})
