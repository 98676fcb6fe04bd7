"""Training routes: each part keeps its own list (urls_<part>.py)."""

from garda.training import urls_catalogue, urls_certificates, urls_classroom, urls_insight

app_name = "training"

urlpatterns = [
    *urls_catalogue.urlpatterns,
    *urls_classroom.urlpatterns,
    *urls_certificates.urlpatterns,
    *urls_insight.urlpatterns,
]
