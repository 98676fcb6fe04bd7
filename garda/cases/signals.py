"""What the cases app tells the apps above it, without importing them (the layers of
docs/architecture.md): `repatriation_arrived` is sent, inside the transaction, when
people brought home reach Indonesia (`repatriations`: a list, `actor`); lapor diri
(garda/abroad) ends their stays abroad from it."""

from django.dispatch import Signal

repatriation_arrived = Signal()
