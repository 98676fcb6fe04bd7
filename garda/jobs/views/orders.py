"""Stub: to be written."""

from django.http import Http404


def order_list(request, pk=None):
    raise Http404


def order_create(request, pk=None):
    raise Http404


def order_detail(request, pk=None):
    raise Http404


def order_edit(request, pk=None):
    raise Http404


def order_submit(request, pk=None):
    raise Http404


def order_verify(request, pk=None):
    raise Http404


def order_reject(request, pk=None):
    raise Http404


def order_close(request, pk=None):
    raise Http404


def order_cancel(request, pk=None):
    raise Http404
