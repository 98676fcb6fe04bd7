"""The load test's population and its after-check, run with garda's settings in the
database the server under test uses (DATABASE_URL / GARDA_VAR_DIR from the environment).

`python -m bench.load.setup prepare --workers N --officers M --out FILE` runs the demo
set-up (`garda demo --no-serve`: 200 registered persons with documents, plans and
readiness) and then, straight to the tables (bulk, not the services: a bench set-up,
not a product path): N worker accounts, each linked to a person of the registry
(persons are added with the demo's generator if there are fewer than N); M officers
of the demo's agency, each accompanying a share of those persons and holding one-use
recovery codes for the second factor. It writes the logins, persons and search terms
the clients need to FILE (JSON).

`python -m bench.load.setup check --ledger FILE --since ISO` reads the clients'
ledger of acknowledged writes (uploads with their unique note, verifications with the
document's id) and says which ones the database does not hold: the lost writes.
"""

import argparse
import json
import os
import sys
from datetime import datetime


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "garda.settings")
    import django

    django.setup()


PASSWORD = "Sandi-Beban-2026"  # noqa: S105  (bench accounts in a scratch database)
AGENCY = "Disnakertransgi DKI"


def prepare(workers: int, officers: int, out: str, codes: int) -> None:
    _django()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from garda.accounts import roles
    from garda.accounts.models import Agency, User
    from garda.people.models import Assignment, Person

    call_command("migrate", verbosity=0)  # a new, empty database has no tables yet
    if not User.objects.filter(email__endswith="@beban.garda.id").exists():
        call_command("demo", no_serve=True, verbosity=0)  # once: a second run reuses it
    persons = list(Person.objects.active().filter(user__isnull=True).order_by("pk"))
    linked_already = Person.objects.filter(
        user__email__startswith="pekerja", user__email__endswith="@beban.garda.id"
    ).count()
    if len(persons) + linked_already < workers:
        # The demo's file has 200 records: the rest are written straight to the table,
        # as bench/readiness.py does (no plan: not every worker has chosen yet).
        from datetime import date, timedelta

        from garda.dbutils import fast_insert

        missing = workers - len(persons) - linked_already
        start = Person.objects.filter(reference__startswith="LB-").count()
        fast_insert(
            Person,
            [
                Person(
                    reference=f"LB-{i:07d}",
                    nik=f"3171{date(1990, 1, 1) + timedelta(days=i):%d%m%y}{i % 10000:04d}91",
                    nik_index=f"LB-{i}",
                    full_name=f"Pekerja Beban {i}",
                    sex="F" if i % 3 else "M",
                    birth_date=date(1990, 1, 1) + timedelta(days=i),
                )
                for i in range(start, start + missing)
            ],
        )
        persons = list(Person.objects.active().filter(user__isnull=True).order_by("pk"))
    hashed = make_password(PASSWORD)  # one hash for all: hashing 200 times is minutes
    agency = Agency.objects.get(short_name=AGENCY)
    with transaction.atomic():
        made = []
        for i in range(workers):
            email = f"pekerja{i:04d}@beban.garda.id"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User(email=email, password=hashed, full_name=f"Pekerja Beban {i}")
                made.append(user)
        User.objects.bulk_create(made)
        worker_group = Group.objects.get(name=roles.WORKER)
        officer_group = Group.objects.get(name=roles.OFFICER)
        worker_users = list(
            User.objects.filter(email__endswith="@beban.garda.id", email__startswith="pekerja")
            .select_related("person")
            .order_by("email")[:workers]
        )
        worker_group.user_set.add(*worker_users)
        free = iter(persons)
        linked = []
        for user in worker_users:
            if getattr(user, "person", None) is None:
                person = next(free)
                person.user = user
                linked.append(person)
        Person.objects.bulk_update(linked, ["user"])
        made = []
        for i in range(officers):
            email = f"petugas{i:03d}@beban.garda.id"
            if not User.objects.filter(email=email).exists():
                made.append(
                    User(
                        email=email,
                        password=hashed,
                        full_name=f"Petugas Beban {i}",
                        agency=agency,
                    )
                )
        User.objects.bulk_create(made)
        officer_users = list(
            User.objects.filter(
                email__startswith="petugas", email__endswith="@beban.garda.id"
            ).order_by("email")[:officers]
        )
        officer_group.user_set.add(*officer_users)
        # Fresh one-use codes for each officer's second factor (a run uses one each).
        StaticDevice.objects.filter(user__in=officer_users, name="beban").delete()
        devices = StaticDevice.objects.bulk_create(
            [StaticDevice(user=u, name="beban", confirmed=True) for u in officer_users]
        )
        logins = {}
        tokens = []
        for officer, device in zip(officer_users, devices, strict=True):
            mine = [f"{officer.pk:05d}{n:05d}" for n in range(codes)]
            tokens += [StaticToken(device=device, token=t) for t in mine]
            logins[officer.email] = mine
        StaticToken.objects.bulk_create(tokens)
        # Each worker's person is accompanied by exactly one load officer, so two
        # officers never decide the same document.
        people = [u.person.pk for u in worker_users] if worker_users else []
        worker_users = list(
            User.objects.filter(pk__in=[u.pk for u in worker_users]).order_by("email")
        )
        person_of = dict(Person.objects.filter(user__in=worker_users).values_list("user_id", "pk"))
        people = [person_of[u.pk] for u in worker_users]
        Assignment.objects.filter(person_id__in=people, officer__in=officer_users).delete()
        caseload: dict[str, list[int]] = {o.email: [] for o in officer_users}
        rows = []
        for index, pk in enumerate(people):
            officer = officer_users[index % len(officer_users)]
            caseload[officer.email].append(pk)
            rows.append(Assignment(person_id=pk, officer=officer))
        Assignment.objects.bulk_create(rows)
    names = sorted(
        {
            p.full_name.split()[0]
            for p in Person.objects.active().only("full_name")[:500]
            if p.full_name
        }
    )
    from garda.documents.models import DocumentType

    upload_types = list(
        DocumentType.objects.filter(
            is_active=True, has_expiry=False, is_health=False, levels="", is_scored=False
        )
        .exclude(category="identity")
        .values_list("code", flat=True)
    )
    spec = {
        "password": PASSWORD,
        "workers": [{"email": u.email, "person": person_of[u.pk]} for u in worker_users],
        "officers": [
            {"email": o.email, "codes": logins[o.email], "persons": caseload[o.email]}
            for o in officer_users
        ],
        "names": names[:200],
        "upload_types": upload_types,
    }
    with open(out, "w") as f:
        json.dump(spec, f)
    print(
        f"load population: {len(worker_users)} workers, {len(officer_users)} officers, "
        f"{Person.objects.count()} persons; upload types {upload_types[:5]}"
    )


def check(ledger: str, since: str) -> int:
    """Print the acknowledged writes the database lacks; returns how many."""
    _django()
    from garda.documents.models import Document

    uploads, verified = set(), set()
    with open(ledger) as f:
        for line in f:
            row = json.loads(line)
            if row["kind"] == "upload":
                uploads.add(row["note"])
            elif row["kind"] == "verify":
                verified.add(int(row["document"]))
    start = datetime.fromisoformat(since)
    notes = set(
        Document.objects.filter(uploaded_at__gte=start, note__startswith="beban-").values_list(
            "note", flat=True
        )
    )
    missing_uploads = uploads - notes
    decided = set(
        Document.objects.filter(pk__in=verified)
        .exclude(status=Document.Status.PENDING)
        .values_list("pk", flat=True)
    )
    missing_verified = verified - decided
    print(
        json.dumps(
            {
                "uploads_acknowledged": len(uploads),
                "uploads_in_database": len(uploads & notes),
                "verifications_acknowledged": len(verified),
                "verifications_in_database": len(verified & decided),
                "lost": sorted(missing_uploads) + sorted(missing_verified),
            }
        )
    )
    return len(missing_uploads) + len(missing_verified)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load.setup")
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--workers", type=int, required=True)
    p.add_argument("--officers", type=int, required=True)
    p.add_argument("--codes", type=int, default=5)
    p.add_argument("--out", required=True)
    c = sub.add_parser("check")
    c.add_argument("--ledger", required=True)
    c.add_argument("--since", required=True)
    args = parser.parse_args(argv)
    if args.what == "prepare":
        prepare(args.workers, args.officers, args.out, args.codes)
    else:
        sys.exit(1 if check(args.ledger, args.since) else 0)


if __name__ == "__main__":
    main()
