"""Policy rules of this part of the cases app (see ../policy.py for the world).

The worker's own cases: only workers, and the worker persona's {case_own} (a case
about their record {person}); staff, trainers and partners get 403 (their cases are
on the staff pages), anonymous visitors the log-in page. Adding information and a
document are exercised as the POST that writes them (a redirect back to the case).
"""

from garda.tests.policy import ADMIN, ANON, EVERYONE, OFFICER, SUPERVISOR, WORKER, Rule  # noqa: F401

CASE_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})
MANAGERS = frozenset({SUPERVISOR, ADMIN})
ONLY_WORKER = frozenset({WORKER})

# A small, complete PDF without active content (documents.files accepts it).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

POLICY: dict = {
    "cases:mine": Rule(ONLY_WORKER),
    "cases:mine_report": Rule(ONLY_WORKER),
    "cases:mine_detail": Rule(ONLY_WORKER, kwargs={"pk": "{case_own}"}),
    "cases:mine_message": Rule(
        ONLY_WORKER,
        method="post",
        kwargs={"pk": "{case_own}"},
        data={"text": "Majikan mengambil paspor saya."},
        ok=(302,),
    ),
    "cases:mine_document_add": Rule(
        ONLY_WORKER,
        method="post",
        kwargs={"pk": "{case_own}"},
        data={"title": "Slip gaji", "file": PDF},
        multipart=True,
        ok=(302,),
    ),
}
