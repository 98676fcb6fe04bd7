from garda.destinations.urls_readiness import urlpatterns as readiness_patterns
from garda.destinations.urls_rules import urlpatterns as rules_patterns

app_name = "destinations"

urlpatterns = [*rules_patterns, *readiness_patterns]
