"""Routes of this part of training (included by training/urls.py)."""

urlpatterns: list = []
