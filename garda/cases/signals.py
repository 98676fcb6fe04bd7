"""What the cases app tells the apps above it, without importing them (the layers of
docs/architecture.md): `repatriation_arrived` is sent, inside the transaction, when
people brought home reach Indonesia (`repatriations`: a list, `actor`); lapor diri
(garda/abroad) ends their stays abroad from it. `case_closed` is sent, inside the
transaction, when a case stops being open (closed, or marked a duplicate: `case`,
`actor`, `how` "closed" or "duplicate"); the referrals app ends the case's live
referrals from it (the receiving agencies' window on a closed case ends with it)."""

from django.dispatch import Signal

repatriation_arrived = Signal()
case_closed = Signal()
