"""Events of the registry that apps above it act on (docs/architecture.md: an app
never imports one after it, so the registry announces and they listen).

- consent_withdrawn(consent, actor): sent by services.registry.consent_withdraw inside
  its transaction, after the withdrawal is written; a receiver's error rolls the
  withdrawal back. The privacy app ends the sharing the consent covered.
"""

from django.dispatch import Signal

consent_withdrawn = Signal()
