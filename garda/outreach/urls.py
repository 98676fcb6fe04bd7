"""Page routes of the outreach app, one block per part (views/)."""

app_name = "outreach"

urlpatterns: list = []
