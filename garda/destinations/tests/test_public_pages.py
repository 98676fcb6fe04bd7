"""The public destination pages: anyone may read them; a moratorium is unmissable."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.destinations.models import Destination

XSS = '"><svg onload=alert(1)>'


@pytest.mark.django_db
def test_anonymous_index_lists_countries_with_status_badges_and_legal_basis():
    response = Client().get(reverse("destinations:destination_index"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Korea Selatan", "Arab Saudi", "Jerman", "Australia"):
        assert name in html
    # A red tag in words on each rule, and on the card of each country concerned.
    assert html.count('class="tag tag-red" data-status="moratorium"') == 7  # Middle East
    assert html.count('data-moratorium="1"') == 7
    assert html.count("Moratorium berlaku") == 7
    assert "Keputusan Menteri Ketenagakerjaan Nomor 260 Tahun 2015" in html
    assert 'class="tag tag-yellow" data-status="restricted"' in html  # the SPSK pilot
    # No personal data, nothing to audit.
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_index_filters_one_sector():
    response = Client().get(reverse("destinations:destination_index"), {"sector": "manufacturing"})
    rows = {row["destination"].code: row for row in response.context["rows"]}
    assert [b["rule"].status for b in rows["KR"]["badges"]] == ["open"]
    assert rows["SA"]["badges"] == []
    assert {ds.scheme.code for ds in rows["KR"]["schemes"]} == {
        "company-own",
        "g2g-kr-eps",
        "independent",
    }
    bad = Client().get(reverse("destinations:destination_index"), {"sector": "mining"})
    assert bad.status_code == 200 and bad.context["sector"] == ""


@pytest.mark.django_db
def test_index_query_count_does_not_grow_with_destinations(django_assert_max_num_queries):
    client = Client()
    with django_assert_max_num_queries(4):
        client.get(reverse("destinations:destination_index"))


@pytest.mark.django_db
def test_moratorium_is_unmistakable_with_reason_and_legal_basis():
    response = Client().get(reverse("destinations:destination_detail", args=["SA"]))
    assert response.status_code == 200
    html = response.content.decode()
    box = html[html.index('class="moratorium-box"') : html.index("</section>")]
    assert 'role="alert"' in box
    assert "MORATORIUM" in box
    assert "Keputusan Menteri Ketenagakerjaan Nomor 260 Tahun 2015" in box
    assert "TPPO" in box  # the reason, in the rule's note
    assert "2015" in box
    # The warning comes before everything else about the country, the summary says so.
    assert html.index("moratorium-box") < html.index('class="summary-box"')
    summary = html[html.index('class="summary-box"') :]
    summary = summary[: summary.index("</div>")]
    assert "Ditutup untuk penempatan (moratorium): Pekerja rumah tangga" in summary
    # The SPSK pilot is shown as a restriction, separately.
    assert "restricted-box" in html and "Jeddah" in html


@pytest.mark.django_db
def test_korea_page_shows_schemes_tests_age_requirements_and_embassy():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages speak Indonesian by default
    response = client.get(reverse("destinations:destination_detail", args=["KR"]))
    html = response.content.decode()
    assert "moratorium-box" not in html
    assert "EPS-TOPIK" in html
    assert "no placement fee" in html
    assert "KBRI Seoul" in html and "https://kemlu.go.id/seoul" in html
    assert "Age 18 to 39 years." in html
    codes = [rs.code for rs in response.context["sets"]]
    assert "kr-eps-manufacturing" in codes and "independent" in codes
    # Each document with who issues it and where to get it.
    assert "Kantor Imigrasi" in html and "M-Paspor" in html
    # English notes for an English reader.
    assert "Jobs in South Korea" in html


@pytest.mark.django_db
def test_unpublished_destination_is_hidden_from_the_public():
    Destination.objects.filter(code="CN").update(is_published=False)
    client = Client()
    assert client.get(reverse("destinations:destination_detail", args=["CN"])).status_code == 404
    index = client.get(reverse("destinations:destination_index"))
    assert "CN" not in {row["destination"].code for row in index.context["rows"]}


@pytest.mark.django_db
def test_unknown_and_lower_case_codes_are_404():
    client = Client()
    assert client.get("/destinations/ZZ/").status_code == 404
    assert client.get("/destinations/kr/").status_code == 404


@pytest.mark.django_db
def test_notes_are_escaped(admin_user):
    Destination.objects.filter(code="KR").update(notes=XSS, embassy_address=XSS)
    html = Client().get(reverse("destinations:destination_detail", args=["KR"])).content.decode()
    assert XSS not in html
    assert "&lt;svg onload=alert(1)&gt;" in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["wati", "alice", "teguh", "putri", "bob", "admin_user"])
def test_every_role_reads_the_public_pages(who, request):
    client = verified_client(request.getfixturevalue(who))
    assert client.get(reverse("destinations:destination_index")).status_code == 200
    assert client.get(reverse("destinations:destination_detail", args=["HK"])).status_code == 200


@pytest.mark.django_db
def test_detail_query_count(django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        Client().get(reverse("destinations:destination_detail", args=["JP"]))


@pytest.mark.django_db
def test_korea_page_has_a_summary_contents_and_folded_lists():
    """docs/design-ui.md §2.6: a summary box, a contents list to the sections, the
    long document lists folded (kept in the page), "Diperbarui" and back to top."""
    response = Client().get(reverse("destinations:destination_detail", args=["KR"]))
    html = response.content.decode()
    summary = html[html.index('<div class="summary-box"') :]
    summary = summary[: summary.index("</div>")]
    assert "Terbuka untuk penempatan resmi: Perikanan, Manufaktur." in summary
    assert "G to G Korea Selatan (EPS) (tanpa biaya penempatan)" in summary
    assert "Usia minimal: 18 tahun." in summary and "EPS-TOPIK" in summary
    assert re.search(r'<p class="meta">Diperbarui \d{1,2} [A-Z][a-z]+ \d{4}</p>', html)
    nav = html[html.index('<nav class="contents"') : html.index("</nav>", html.index('"contents"'))]
    targets = re.findall(r'href="#([\w-]+)"', nav)
    assert targets and all(f'id="{t}"' in html for t in targets)
    assert "Kembali ke atas" in html and 'id="top"' in html
    # Every set's documents sit in a <details>, none dropped.
    for rs in response.context["sets"]:
        card = html[html.index(f'id="set-{rs.code}"') :]
        card = card[: card.index("</article>")]
        folded = card[card.index("<details") : card.index("</details>")]
        names = [r.document_type.display_name for r in rs.requirements.all()]
        assert names and all(name in folded for name in names)
    assert "Kantor Imigrasi" in html  # where to get a passport, still on the page
