"""The Django side of learned duplicate weights (people/learned_weights.py): where
the file lives, and officers' decisions as labels."""

from datetime import date

import pytest

from garda.people import learned_weights, matching
from garda.people.models import DuplicateCandidate
from garda.people.tests.factories import register


def test_the_per_record_check_reads_the_file_in_the_var_dir(settings, real_weights_path):
    assert matching._weights_file == real_weights_path
    assert real_weights_path.parent == settings.VAR_DIR


@pytest.mark.django_db
def test_decided_pairs_are_the_labels_and_open_ones_are_not():
    a = register(serial=1, full_name="Siti Aminah")
    b = register(serial=2, full_name="Siti Aminah", born=date(1990, 1, 2))
    c = register(serial=3, full_name="Dewi Lestari")
    DuplicateCandidate.objects.all().delete()  # the per-record check filed some
    DuplicateCandidate.objects.create(person_a=a, person_b=b, score=0.9, status="same")
    DuplicateCandidate.objects.create(person_a=a, person_b=c, score=0.6, status="different")
    DuplicateCandidate.objects.create(person_a=b, person_b=c, score=0.6)

    pairs = learned_weights.labelled_pairs()
    assert [(x.id, y.id, same) for x, y, same in pairs] == [
        (str(a.pk), str(b.pk), True),
        (str(a.pk), str(c.pk), False),
    ]
    assert pairs[0][0].full_name == "Siti Aminah"
    options = learned_weights.learning_options()
    assert options["learn"] is True and options["labelled"] == pairs


def test_stored_weights_reach_current_weights(tmp_path, monkeypatch):
    monkeypatch.setattr(learned_weights, "weights_path", lambda: tmp_path / "w.json")
    previous = matching._weights_file
    matching.use_weights_file(tmp_path / "w.json")
    try:
        weights = matching.Weights(
            tables=matching.DEFAULT_WEIGHTS.tables, prior_bits=16.0, source="em"
        )
        learned_weights.store(weights)
        assert matching.current_weights() == weights
    finally:
        matching.use_weights_file(previous)


@pytest.mark.django_db
def test_the_registry_batch_run_learns_the_weights_the_per_record_check_then_uses(monkeypatch):
    from garda.people.services.duplicates import duplicates_batch

    monkeypatch.setattr(matching, "MIN_EM_PAIRS", 2)  # a handful of persons is enough here
    for serial, name in enumerate(["Siti Aminah", "Sitti Aminah", "Dewi Lestari", "Dewi Lestary"]):
        register(serial=serial + 1, full_name=name)
    assert not learned_weights.weights_path().exists()
    assert not matching.current_weights().learned

    list(duplicates_batch())

    assert learned_weights.weights_path().exists()
    learned = matching.current_weights()
    assert learned.learned and learned.pairs >= 2
