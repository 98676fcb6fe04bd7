"""Fixtures shared by the training tests: the certificate world of certificates_support
(a certifying SMAW batch, wati's and tono's records, wati's completed enrolment and her
certificate). A module that defines a fixture of the same name uses its own."""

from garda.training.tests.certificates_support import (  # noqa: F401 - fixtures
    smaw,
    tono_person,
    wati_cert,
    wati_done,
    wati_person,
)
