"""Stub: to be written."""

from django.http import Http404


def register_list(request, pk=None):
    raise Http404


def agency_create(request, pk=None):
    raise Http404


def register_load(request, pk=None):
    raise Http404


def agency_manage(request, pk=None):
    raise Http404


def agency_status(request, pk=None):
    raise Http404


def branch_add(request, pk=None):
    raise Http404


def branch_remove(request, pk=None):
    raise Http404


def recruiter_add(request, pk=None):
    raise Http404


def recruiter_remove(request, pk=None):
    raise Http404
