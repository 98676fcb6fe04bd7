"""(stub: to be written)"""

from django.http import HttpResponse


def case_list(request, pk=None):
    return HttpResponse(status=501)


def case_create(request, pk=None):
    return HttpResponse(status=501)


def case_detail(request, pk=None):
    return HttpResponse(status=501)


def move(request, pk=None):
    return HttpResponse(status=501)


def assign(request, pk=None):
    return HttpResponse(status=501)


def severity(request, pk=None):
    return HttpResponse(status=501)


def reopen(request, pk=None):
    return HttpResponse(status=501)


def duplicate(request, pk=None):
    return HttpResponse(status=501)


def link_person(request, pk=None):
    return HttpResponse(status=501)


def note_add(request, pk=None):
    return HttpResponse(status=501)


def task_add(request, pk=None):
    return HttpResponse(status=501)


def task_done(request, pk=None):
    return HttpResponse(status=501)


def service_add(request, pk=None):
    return HttpResponse(status=501)


def service_done(request, pk=None):
    return HttpResponse(status=501)


def screening(request, pk=None):
    return HttpResponse(status=501)


def document_add(request, pk=None):
    return HttpResponse(status=501)


def document(request, pk=None):
    return HttpResponse(status=501)


def approval_decide(request, pk=None):
    return HttpResponse(status=501)
