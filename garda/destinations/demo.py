"""Reference data for `garda demo`: the seed is applied by migration 0003_seed_rules;
running it again after `garda load_countries` links each destination to its country
(countries are loaded after migrations). Idempotent; never overwrites an
administrator's edits."""

from garda.destinations import seed


def ensure_reference_data() -> dict[str, int]:
    """Create whatever seeded rows are missing and link countries; return the counts
    of rows created (all zero on a database that is up to date)."""
    return seed.apply()


# Demo targets, weighted roughly like Jakarta's placements (docs/domain.md, 2023): Taiwan
# and Hong Kong care work through agencies, Korea's EPS, Japan, and one moratorium
# target (domestic work in Saudi Arabia) so the demo shows how a block reads.
DEMO_TARGETS = [
    ("TW", "p2p", "care", 5),
    ("HK", "p2p", "domestic", 4),
    ("KR", "g2g-kr-eps", "manufacturing", 4),
    ("JP", "jp-ssw", "care", 3),
    ("JP", "im-japan", "manufacturing", 2),
    ("DE", "g2g-de-triplewin", "health", 1),
    ("SA", "p2p", "domestic", 1),
]


def populate_plans(persons, officer, *, share: float = 0.6, seed: int = 2026) -> int:
    """Give a share of the persons a placement plan (through plan_set, audited, as an
    officer would) and compute their readiness; persons with a plan are skipped, so a
    second run adds nothing. Returns the number of plans made."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from garda.destinations.models import Plan
    from garda.destinations.readiness import recompute_many
    from garda.destinations.services.plans import plan_set

    planned = set(Plan.objects.filter(is_current=True).values_list("person_id", flat=True))
    targets = [t[:3] for t in DEMO_TARGETS for _ in range(t[3])]
    made = []
    for person in persons:
        rng = random.Random(f"{seed}:plan:{person.pk}")  # noqa: S311 (demo data)
        if person.pk in planned or rng.random() > share:
            continue
        destination, scheme, sector = rng.choice(targets)
        departure = timezone.localdate() + timedelta(days=rng.randint(60, 300))
        plan_set(
            actor=officer,
            person=person,
            destination_code=destination,
            scheme_code=scheme,
            sector=sector,
            planned_departure=departure,
        )
        made.append(person.pk)
    recompute_many(made)
    return len(made)
