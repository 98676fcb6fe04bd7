"""What the jobs app tells the apps above it, without importing them (the layers of
docs/architecture.md): `placement_arrived` is sent, inside the arrival's transaction,
when a placed worker's arrival abroad is recorded (`placement`, `actor`); lapor diri
(garda/abroad) opens the worker's stay from it."""

from django.dispatch import Signal

placement_arrived = Signal()
