"""Matrix entries: the retention work (reminders, the agent's due worklist, SMS list, slips, figures)."""

from . import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, only, territorial

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)

ROUTES = {
    "retention.figures": Route("GET", "/retention/?group=agent", only(*EDITORS, VIEWER)),
    "retention.my_due": Route("GET", "/my/due", only(AGENT)),
    "retention.contact": Route("POST", lambda w, t: f"/retention/people/{t.person.id}/contact",
                               territorial(*EDITORS, AGENT),
                               data={"scheme": "bhxh_tn", "method": "phone", "outcome": "no_answer"}),
    "retention.sms_page": Route("GET", "/retention/sms", only(*EDITORS)),
    "retention.sms_csv": Route("POST", "/retention/sms.csv", only(*EDITORS), data={"scheme": "bhxh_tn"}),
    "documents.reminder_slips_pdf": Route("GET", lambda w, t: f"/retention/slips.pdf?agent={t.agent.id}",
                                          territorial(*EDITORS, AGENT)),
}
