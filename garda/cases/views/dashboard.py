"""(stub: to be written)"""

from django.http import HttpResponse


def dashboard(request, pk=None):
    return HttpResponse(status=501)
