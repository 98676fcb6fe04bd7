"""Stub: to be written."""

from django.http import Http404


def employer_list(request, pk=None):
    raise Http404


def employer_create(request, pk=None):
    raise Http404


def employer_edit(request, pk=None):
    raise Http404


def partner_list(request, pk=None):
    raise Http404


def partner_create(request, pk=None):
    raise Http404


def partner_edit(request, pk=None):
    raise Http404


def listing_list(request, pk=None):
    raise Http404


def listing_create(request, pk=None):
    raise Http404


def listing_delist(request, pk=None):
    raise Http404
