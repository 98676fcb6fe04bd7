"""Policy rules of this part of the cases app (see ../policy.py for the world).

The officer's and supervisor's pages: every staff role reaches the list, intake and
alice's case ({case_own}, in progress: alice holds it, bob supervises her agency, the
admin sees everything). Supervisor-only actions (assign, severity, closing approvals)
are refused to alice with 403; workers, trainers and partners get 403 on every page.
Each POST carries valid data, so that an allowed role gets the redirect back to the
case (302)."""

from garda.tests.policy import ADMIN, ANON, EVERYONE, OFFICER, SUPERVISOR, WORKER, Rule  # noqa: F401

CASE_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})
MANAGERS = frozenset({SUPERVISOR, ADMIN})
ONLY_WORKER = frozenset({WORKER})

# A small, complete PDF (the upload checks sniff the bytes and want its end).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _post(allowed, kwargs, data=None) -> Rule:
    """A POST whose data may hold "{name}" placeholders: the matrix fills them in
    (and sends bytes as files) only for a multipart form, which the pages read alike."""
    return Rule(allowed, method="post", kwargs=kwargs, data=data or {}, ok=(302,), multipart=True)


OWN = {"pk": "{case_own}"}

POLICY: dict = {
    "cases:list": Rule(CASE_STAFF),
    "cases:create": Rule(CASE_STAFF),
    "cases:detail": Rule(CASE_STAFF, kwargs=OWN),
    "cases:move": _post(
        CASE_STAFF,
        OWN,
        {"stage": "waiting", "reason": "Menunggu KBRI", "version": "{case_own_version}"},
    ),
    # Supervisors assign their agency's officers (alice already holds it: no change);
    # alice may only take a case nobody holds.
    "cases:assign": _post(MANAGERS, OWN, {"officer": "{case_officer}", "reason": "beban"}),
    "cases:severity": _post(MANAGERS, OWN, {"severity": "high", "reason": "Ancaman"}),
    # The case is open: the refusal comes back as a message on the case page.
    "cases:reopen": _post(CASE_STAFF, OWN, {"reopen-reason": "Datang lagi"}),
    "cases:duplicate": _post(
        CASE_STAFF, OWN, {"reference": "{case_queue_reference}", "reason": "Laporan sama"}
    ),
    "cases:link_person": _post(CASE_STAFF, OWN, {"person": "{person}"}),
    "cases:note_add": _post(CASE_STAFF, OWN, {"text": "Sudah ditelepon", "shared": "on"}),
    "cases:task_add": _post(
        CASE_STAFF, OWN, {"title": "Telepon KBRI", "due_at": "2099-01-02T10:00"}
    ),
    "cases:task_done": _post(CASE_STAFF, {"pk": "{case_task}"}),
    "cases:service_add": _post(CASE_STAFF, OWN, {"type": "shelter", "timeframe": "1_day"}),
    "cases:service_done": _post(CASE_STAFF, {"pk": "{case_service}"}),
    "cases:screening": _post(CASE_STAFF, OWN, {"s-q_documents": "self"}),
    "cases:document_add": _post(CASE_STAFF, OWN, {"title": "Kontrak kerja", "file": PDF}),
    "cases:document": Rule(CASE_STAFF, kwargs={"pk": "{case_document}"}),
    "cases:approval_decide": _post(MANAGERS, {"pk": "{case_approval}"}, {"approve": "1"}),
}
