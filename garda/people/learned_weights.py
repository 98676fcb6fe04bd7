"""Where the duplicate engine's learned weights live, and the officers' decisions
that teach it: the Django side of matching.learn_weights (docs/duplicates.md).

The weights are one JSON file in GARDA_VAR_DIR, shared by every process on the
host: the batch run over the registry writes it (atomically), and the per-record
check of every server process reads it through matching.current_weights(), again
whenever the file changes. No file yet: the hand-set weights.

To make the registry's batch run learn, services/duplicates.py's duplicates_batch
passes `**learning_options()` to matching.find_duplicates.
"""

from pathlib import Path

from django.conf import settings

from garda.people import matching

WEIGHTS_FILE = "dedupe-weights.json"


def weights_path() -> Path:
    return Path(settings.VAR_DIR) / WEIGHTS_FILE


def store(weights: matching.Weights) -> None:
    matching.save_weights(weights, weights_path())


def labelled_pairs() -> list[tuple[matching.Record, matching.Record, bool]]:
    """Every pair an officer decided, as (record, record, same person?). A merged
    record stays in the registry (marked merged), so "same" decisions keep their two
    records as they were compared."""
    from garda.people.models import DuplicateCandidate
    from garda.people.services.duplicates import record_for

    decided = (
        DuplicateCandidate.objects.exclude(status=DuplicateCandidate.Decision.OPEN)
        .select_related("person_a", "person_b")
        .order_by("id")
    )
    return [
        (
            record_for(pair.person_a),
            record_for(pair.person_b),
            pair.status == DuplicateCandidate.Decision.SAME,
        )
        for pair in decided.iterator(chunk_size=2000)
    ]


def learning_options() -> dict:
    """Keyword arguments for matching.find_duplicates in the registry's batch run:
    learn the weights on the registry's own pairs, with the officers' decisions as
    labels, and store them for the per-record check."""
    return {"learn": True, "labelled": labelled_pairs(), "on_learned": store}
