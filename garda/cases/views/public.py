"""(stub: to be written)"""

from django.http import HttpResponse


def report(request, pk=None):
    return HttpResponse(status=501)


def track(request, pk=None):
    return HttpResponse(status=501)
