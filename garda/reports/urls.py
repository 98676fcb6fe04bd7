"""Page routes of the reports app, one block per part (views/)."""

app_name = "reports"

urlpatterns: list = []
