"""Demo accompaniment for `garda demo`: officers assigned to the synthetic persons,
tasks and appointments (some overdue, some upcoming, some done) and a contact log,
all written through the real services. Idempotent: a person who already has a task
or a contact is left as it is."""

import random
from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from garda.accompaniment.models import Contact, Task
from garda.accompaniment.services import (
    assignment_add,
    assignments_reassign,
    contact_log,
    task_complete,
    task_create,
)
from garda.accounts import roles
from garda.accounts.models import User
from garda.people.models import Assignment, Person

TASKS = [
    "Periksa kelengkapan KTP dan KK",
    "Bantu pengurusan SKCK",
    "Cek hasil pemeriksaan kesehatan",
    "Daftarkan ke BPJS Ketenagakerjaan",
    "Verifikasi surat izin keluarga",
    "Jadwalkan tes bahasa",
]
APPOINTMENTS = [
    ("Antar ke Kantor Imigrasi untuk paspor", "Kantor Imigrasi Jakarta Selatan"),
    ("Pendampingan di LTSA", "LTSA P2MI DKI Jakarta, Jl. Gatot Subroto"),
    ("Pemeriksaan kesehatan dan psikologi", "RSUD Tarakan, Jakarta Pusat"),
    ("Pengurusan SKCK", "Polda Metro Jaya"),
    ("Orientasi Pra Penempatan (OPP)", "BP3MI DKI Jakarta"),
]
CONTACTS = [
    (Contact.Channel.OFFICE, "Datang ke kantor, menyerahkan fotokopi dokumen."),
    (Contact.Channel.PHONE, "Menanyakan jadwal pemeriksaan kesehatan."),
    (Contact.Channel.MESSAGE, "Mengirim foto ijazah lewat WhatsApp untuk dicek."),
    (Contact.Channel.VISIT, "Kunjungan rumah: keluarga mendukung rencana bekerja ke luar negeri."),
]


def _manager() -> User:
    admin = User.objects.filter(is_active=True, groups__name=roles.ADMIN).order_by("pk").first()
    if admin is None:
        raise ValueError("The demo accompaniment needs an active admin account to assign officers")
    return admin


def _spread(persons: Sequence[Person], officers: Sequence[User], *, actor: User) -> int:
    """Round robin over `officers`; returns how many persons got a (new) officer."""
    current: dict[int, list[int]] = {}
    for person_id, officer_id in Assignment.objects.filter(person__in=persons).values_list(
        "person_id", "officer_id"
    ):
        current.setdefault(person_id, []).append(officer_id)
    by_id = {officer.pk: officer for officer in officers}
    moves: dict[tuple[int, int], list[int]] = {}
    changed = 0
    for index, person in enumerate(persons):
        target = officers[index % len(officers)]
        theirs = current.get(person.pk, [])
        if target.pk in theirs:
            continue
        if not theirs:
            assignment_add(actor=actor, person=person, officer=target)
            changed += 1
        elif len(theirs) == 1 and theirs[0] in by_id:
            moves.setdefault((theirs[0], target.pk), []).append(person.pk)
    for (source, target), ids in moves.items():
        changed += assignments_reassign(
            actor=actor, from_officer=by_id[source], to_officer=by_id[target], person_ids=ids
        )
    return changed


def populate(
    persons: Sequence[Person],
    officers: Sequence[User],
    *,
    actor: User | None = None,
    seed: int = 2026,
) -> dict[str, int]:
    """Give each person an officer (round robin over `officers`, unless they have one
    already) and some accompaniment; returns counts of what was created.

    `actor` assigns the officers (default: the first admin): a person nobody
    accompanies gets the next officer; a person accompanied by one of `officers`
    who is not their turn is moved to it with assignments_reassign, as a supervisor
    balancing caseloads would (a person registered by an officer starts with that
    officer). Overdue tasks are made
    the way they happen in life: planned for later, then the due time is moved into
    the past directly (the services refuse planning in the past).
    """
    if not officers:
        return {"assigned": 0, "tasks": 0, "appointments": 0, "overdue": 0, "contacts": 0}
    actor = actor or _manager()
    counts = dict.fromkeys(("assigned", "tasks", "appointments", "overdue", "contacts"), 0)
    counts["assigned"] = _spread(persons, officers, actor=actor)
    busy = set(Task.objects.values_list("person_id", flat=True).distinct()) | set(
        Contact.objects.values_list("person_id", flat=True).distinct()
    )
    now = timezone.now()
    for person in persons:
        first = (
            Assignment.objects.filter(person=person, officer__in=officers)
            .select_related("officer")
            .order_by("pk")
            .first()
        )
        if first is None or person.pk in busy:
            continue
        officer = first.officer
        # One generator per person: a second run draws the same, so a person who got
        # nothing the first time gets nothing again (idempotent).
        rng = random.Random(f"{seed}:{person.pk}")  # noqa: S311 (demo data, not secrets)
        draw = rng.random()
        if draw < 0.35:
            task_create(
                actor=officer,
                person=person,
                title=rng.choice(TASKS),
                due_at=now + timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 8)),
            )
            counts["tasks"] += 1
        elif draw < 0.60:
            title, place = rng.choice(APPOINTMENTS)
            task_create(
                actor=officer,
                person=person,
                kind=Task.Kind.APPOINTMENT,
                title=title,
                place=place,
                due_at=(now + timedelta(days=rng.randint(1, 14))).replace(
                    hour=rng.choice([2, 3, 6, 7]), minute=0, second=0, microsecond=0
                ),
                note="Ingatkan membawa dokumen asli.",
            )
            counts["appointments"] += 1
        elif draw < 0.68:
            task = task_create(
                actor=officer,
                person=person,
                title=rng.choice(TASKS),
                due_at=now + timedelta(hours=1),
            )
            Task.objects.filter(pk=task.pk).update(
                due_at=now - timedelta(days=rng.randint(1, 7)),
                created_at=now - timedelta(days=rng.randint(8, 20)),
            )
            counts["overdue"] += 1
        elif draw < 0.80:
            task = task_create(
                actor=officer,
                person=person,
                title=rng.choice(TASKS),
                due_at=now + timedelta(days=1),
            )
            task_complete(actor=officer, task=task)
            counts["tasks"] += 1
        if rng.random() < 0.6:
            channel, summary = rng.choice(CONTACTS)
            contact_log(
                actor=officer,
                person=person,
                channel=channel,
                summary=summary,
                happened_at=now - timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 8)),
            )
            counts["contacts"] += 1
    return counts
