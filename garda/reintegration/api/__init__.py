"""The reintegration API: one router (garda/api.py mounts it), one module per part:
`plans` (assessments, plans, goals, follow-ups with the survey) and `outcomes` (the
figures per programme and city)."""

from garda.apiutils import combine_routers
from garda.reintegration.api import outcomes, plans

router = combine_routers(plans.router, outcomes.router)
