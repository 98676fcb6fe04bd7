from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def open_case_blocks(person_ids) -> set[int]:
    """The persons among `person_ids` with an open protection case: matching does not
    put them forward for a job while it is open (garda/jobs/blocks.py)."""
    from garda.cases.models import Case, Status
    from garda.jobs.blocks import where_ids

    cases = where_ids(Case.objects.filter(status=Status.OPEN), "person", person_ids)
    return set(cases.order_by().values_list("person_id", flat=True).distinct())


class CasesConfig(AppConfig):
    name = "garda.cases"
    label = "cases"
    verbose_name = _("Protection cases")

    def ready(self):
        from garda.jobs.blocks import register_block

        register_block(open_case_blocks)
