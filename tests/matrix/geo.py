"""Matrix entries: communes and hamlets."""

from . import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, only, territorial

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)

ROUTES = {
    "geo.communes": Route("GET", "/geo/communes?q=nghia", only(*EDITORS, VIEWER, AGENT)),
    "geo.commune": Route("GET", lambda w, t: f"/geo/communes/{t.commune.id}", territorial(*EDITORS, VIEWER, AGENT)),
    "geo.legacy_district": Route("POST", lambda w, t: f"/geo/communes/{t.commune.id}/legacy-district",
                                 territorial(*EDITORS), data={"legacy_district": "Văn Chấn"}),
    "geo.commune_fact": Route("POST", lambda w, t: f"/geo/communes/{t.commune.id}/facts",
                              territorial(ADMIN, PROVINCE_OFFICER),
                              data={"fact": "new_rural", "value": "1", "effective_from": "01/01/2026"}),
    "geo.hamlet_new": Route("GET", lambda w, t: f"/geo/communes/{t.commune.id}/hamlets/new", territorial(*EDITORS)),
    "geo.hamlet_edit": Route("GET", lambda w, t: f"/geo/hamlets/{t.hamlet2.id}/edit", territorial(*EDITORS)),
    "geo.hamlet_delete": Route("POST", lambda w, t: f"/geo/hamlets/{t.hamlet2.id}/delete", territorial(*EDITORS)),
    "geo.hamlet_import": Route("GET", lambda w, t: f"/geo/communes/{t.commune.id}/hamlets/import",
                               territorial(*EDITORS)),
    "geo.hamlet_template": Route("GET", "/geo/hamlets/template.xlsx", only(*EDITORS)),
}
