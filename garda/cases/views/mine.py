"""(stub: to be written)"""

from django.http import HttpResponse


def mine(request, pk=None):
    return HttpResponse(status=501)


def report(request, pk=None):
    return HttpResponse(status=501)


def detail(request, pk=None):
    return HttpResponse(status=501)


def message(request, pk=None):
    return HttpResponse(status=501)


def document_add(request, pk=None):
    return HttpResponse(status=501)
