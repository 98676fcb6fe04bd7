"""Fixtures shared by the training tests: the certificate world of certificates_support
(a certifying SMAW batch, wati's and tono's records, wati's completed enrolment and her
certificate). A module that defines a fixture of the same name uses its own."""

import pytest

from garda.training.tests.certificates_support import (  # noqa: F401 - fixtures
    smaw,
    tono_person,
    wati_cert,
    wati_done,
    wati_person,
)


@pytest.fixture
def ppkd_supervisor(ppkd):
    """A supervisor of the training centre's own agency: the one supervisor who may
    revoke its certificates (issue 19; bob, of Disnakertransgi, may not)."""
    from conftest import make_user
    from garda.accounts import roles

    return make_user("sari.ppkd@example.org", roles.SUPERVISOR, ppkd, full_name="Sari")
