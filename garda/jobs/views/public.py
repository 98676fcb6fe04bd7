"""Stub: to be written."""

from django.http import Http404


def vacancy_list(request, pk=None):
    raise Http404


def vacancy_detail(request, pk=None):
    raise Http404


def agency_lookup(request, pk=None):
    raise Http404


def agency_public(request, pk=None):
    raise Http404


def job_check(request, pk=None):
    raise Http404
