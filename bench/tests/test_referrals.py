"""`python -m bench --referrals N`: the referrals, the follow-through dashboard and the
escalation run at a tiny size, in process."""

import pytest

from bench.referrals import ReferralsBench
from garda.referrals.models import Referral, ReferralEscalation


@pytest.mark.django_db
def test_the_referrals_bench_runs_at_a_tiny_size():
    rows = []
    bench = ReferralsBench(lambda *cells: rows.append(cells))
    bench.run(2000, overdue=15)
    labels = [r[0] for r in rows]
    assert labels[0] == "referrals written (bulk)"
    assert sum(label.startswith("referral dashboard (") for label in labels) == 3
    assert any(label.startswith("GET /referrals/dashboard/") for label in labels)
    assert Referral.objects.count() == 2000
    # The overdue ones were raised once, at level 1; nothing else.
    assert ReferralEscalation.objects.filter(level=1, clock="answer").count() == 15
    dashboard = next(r for r in rows if r[0].startswith("referral dashboard (this year)"))
    assert dashboard[1].endswith(", 1 queries")
