"""Page routes of lapor diri."""

from django.urls import path

from garda.abroad.views import mine, staff

app_name = "abroad"

urlpatterns = [
    path("me/", mine.mine, name="mine"),
    path("me/end/", mine.my_end, name="my_end"),
    path("me/check-in/", mine.check_in, name="check_in"),
    path("people/<int:pk>/stay/", staff.person_stay, name="person_stay"),
    path("countries/", staff.countries, name="countries"),
    path("countries/<str:code>/", staff.country, name="country"),
]
