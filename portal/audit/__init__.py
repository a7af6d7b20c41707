"""The audit log: what was done, by whom, to what (``services.record``); its page is ``portal.auditlog``."""
