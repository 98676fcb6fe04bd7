"""Page routes of the reintegration app, one block per part (views/)."""

from django.urls import path

from garda.reintegration.views import outcomes, plans  # noqa: F401

app_name = "reintegration"

urlpatterns: list = [
    # plans: a person's return, assessment, plan, goals and follow-ups
    path("due/", plans.due, name="due"),
    path("me/", plans.mine, name="mine"),
    path("people/<int:pk>/", plans.person, name="person"),
    path("people/<int:pk>/assessment/", plans.assessment, name="assessment"),
    path("people/<int:pk>/plan/", plans.plan_new, name="plan_new"),
    path("plans/<int:pk>/goals/", plans.goal_new, name="goal_new"),
    path("goals/<int:pk>/done/", plans.goal_mark_done, name="goal_done"),
    path("plans/<int:pk>/follow-ups/<int:month>/", plans.followup, name="followup"),
    path("plans/<int:pk>/complete/", plans.complete, name="complete"),
    path("plans/<int:pk>/withdraw/", plans.withdraw, name="withdraw"),
    # outcomes: the figures per programme and city
    path("outcomes/", outcomes.outcomes_page, name="outcomes"),
    path("outcomes/export.csv", outcomes.outcomes_csv, name="outcomes_csv"),
]
