"""`garda demo`: a demo database that shows the product working today, then served.

Everything is dated from the day it is set up: appointments and tasks (a few overdue,
most upcoming), documents waiting for verification (most arrived in the last two
days), expiry dates, training batches (upcoming, full, finished, and one running today
with a session today for the trainer's attendance).

The output is a few lines and ends with every demo login. E-mails the set-up (and the
served demo) sends are written as files to the mail folder (settings.GARDA_MAIL_DIR,
var/mail/), never printed. Links in them point where the demo is served (--host,
--port) unless GARDA_BASE_URL says otherwise (garda/links.py).

Running it again duplicates nothing: users, persons, documents, tasks and batches
that exist are left as they are (their dates stay those of the first run). On a later
day it adds only that day's running batch, so the trainer has today's attendance to
mark; tasks dated on the first run may by then be overdue.
"""

import io
import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.accounts.services import user_create
from garda.links import serve_url

# Public demo password: only ever valid in a demo database.
DEMO_PASSWORD = "Sandi-Demo-2026"  # noqa: S105

POPULATION = 200
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"

# (e-mail, full name, role, agency short name): the personas the tests use too.
DEMO_USERS = [
    ("admin@demo.garda.id", "Admin Garda", roles.ADMIN, None),
    ("bob@demo.garda.id", "Bob Santoso", roles.SUPERVISOR, "Disnakertransgi DKI"),
    ("alice@demo.garda.id", "Alice Rahmawati", roles.OFFICER, "Disnakertransgi DKI"),
    ("carol@demo.garda.id", "Carol Siregar", roles.OFFICER, "Dinsos DKI"),
    ("dewi@demo.garda.id", "Dewi Lestari", roles.OFFICER, "Disnakertransgi DKI"),
    ("teguh@demo.garda.id", "Teguh Prasetyo", roles.TRAINER, "PPKD Jakarta Timur"),
    ("putri@demo.garda.id", "Putri Maharani", roles.PARTNER, "BP3MI DKI Jakarta"),
    # A placement company's staff: not a government agency (no Agency of that name),
    # the jobs demo links her to the licensed company named here.
    ("sari@demo.garda.id", "Sari Wulandari", roles.RECRUITER, "PT Maju Sejahtera Abadi"),
    ("wati@demo.garda.id", "Wati Susilawati", roles.WORKER, None),
    ("tono@demo.garda.id", "Tono Hartono", roles.WORKER, None),
]


class Command(BaseCommand):
    help = (
        "Set up a demo database (migrations, reference data, demo users) and serve it. "
        "Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Set up only, do not serve")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, no_serve, port, host, **options):
        if settings.PRODUCTION:
            self.stderr.write("Refusing to load demo data with GARDA_ENV=production.")
            sys.exit(2)
        verbose = options["verbosity"] >= 2
        # The loaders' progress lines only with -v 2: the output ends with the logins.
        self.quiet = self.stdout if verbose else io.StringIO()
        mail_dir = settings.GARDA_MAIL_DIR
        mail_dir.mkdir(parents=True, exist_ok=True)
        address = settings.GARDA_BASE_URL or serve_url(host, port)
        db = settings.DATABASES["default"]
        self.stdout.write(
            f"Setting up the demo in {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')} …"
        )
        # E-mails go to files in the mail folder, their links to where the demo is
        # served (the same as `garda serve` gives its workers).
        with override_settings(
            EMAIL_BACKEND=FILE_BACKEND, EMAIL_FILE_PATH=mail_dir, GARDA_SERVE_URL=address
        ):
            self._setup()
        self._print_logins(address, mail_dir)
        if no_serve:
            return
        env = {**os.environ, "GARDA_DEMO": "1", "GARDA_MAIL_DIR": str(mail_dir)}
        argv = [
            sys.executable,
            "-P",  # never import from the current folder (see serve.py)
            "-m",
            "garda",
            "serve",
            "--host",
            host,
            "--port",
            str(port),
            "--no-migrate",
        ]
        sys.stdout.flush()
        os.execve(sys.executable, argv, env)  # noqa: S606

    def _setup(self) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        for loader in (
            "load_regions",
            "load_countries",
            "load_agencies",
            "load_training_providers",
        ):
            call_command(loader, stdout=self.quiet)
        from garda.destinations.demo import ensure_reference_data

        ensure_reference_data()
        created = self._users()
        self.stdout.write(f"Demo users: {created} created, {len(DEMO_USERS) - created} existed")
        self._population()
        self._figures()

    @transaction.atomic
    def _users(self) -> int:
        created = 0
        agencies = {a.short_name: a for a in Agency.objects.all()}
        for email, name, role, agency_name in DEMO_USERS:
            if User.objects.filter(email=email).exists():
                continue
            user_create(
                actor=None,
                email=email,
                password=DEMO_PASSWORD,
                role=role,
                agency=agencies.get(agency_name) if agency_name else None,
                full_name=name,
            )
            created += 1
        return created

    def _population(self) -> None:
        from datetime import date

        from garda.people.demo import ensure_worker_profile, load_demo_population

        alice = User.objects.get(email="alice@demo.garda.id")
        created, skipped = load_demo_population(officer=alice, n=POPULATION)
        wati = User.objects.get(email="wati@demo.garda.id")
        ensure_worker_profile(
            worker=wati,
            nik="3171024506960003",
            full_name="Wati Susilawati",
            born=date(1996, 6, 5),
            sex="F",
        )
        self.quiet.write(f"Demo population: {created} registered, {skipped} existed or skipped\n")
        self._accompaniment(alice)

    def _accompaniment(self, alice: User) -> None:
        """Documents in every state, placement plans with their readiness, officers
        with tasks, appointments and contacts (each step idempotent)."""
        from garda.accompaniment.demo import populate as accompaniment_populate
        from garda.destinations.demo import populate_plans
        from garda.documents.demo import populate as documents_populate
        from garda.people.models import Person

        persons = list(Person.objects.active().order_by("pk"))
        documents = documents_populate(persons, alice)
        plans = populate_plans(persons, alice)
        dewi = User.objects.get(email="dewi@demo.garda.id")
        counts = accompaniment_populate(persons, [alice, dewi])
        self.quiet.write(
            f"Demo accompaniment: {documents} documents, {plans} plans, "
            f"{counts['tasks'] + counts['appointments']} tasks and appointments\n"
        )
        self._training(alice)

    def _training(self, alice: User) -> None:
        """Batches at the PPKD and LPKs: upcoming with seats, full with a waiting list,
        one finished and closed with its certificates (idempotent by batch code)."""
        from garda.training.demo import populate as training_populate

        teguh = User.objects.get(email="teguh@demo.garda.id")
        counts = training_populate(trainer=teguh, officer=alice)
        self.quiet.write(
            f"Demo training: {counts['batches']} batches, {counts['enrolled']} enrolled, "
            f"{counts['waitlisted']} waitlisted, {counts['certificates']} certificates\n"
        )
        self._jobs()

    def _jobs(self) -> None:
        """The licence register (licensed, suspended, revoked companies), the demo
        recruiter's company, employers and a partner abroad, a listed employer, and job
        orders verified, rejected, draft and waiting (garda/jobs/demo.py)."""
        from garda.jobs.demo import populate as jobs_populate

        users = {
            u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.garda.id")
        }
        counts = jobs_populate(users)
        self.quiet.write(
            f"Demo jobs: {counts['agencies']} companies, {counts['employers']} employers, "
            f"{counts['orders']} job orders\n"
        )
        from garda.jobs.demo import populate_pipeline

        counts = populate_pipeline(users)
        self.quiet.write(
            f"Demo applications: {counts['applications']}, placements: {counts['placements']}, "
            f"orientation sessions: {counts['sessions']}\n"
        )
        self._cases()
        self._abroad()

    def _abroad(self) -> None:
        """Stays abroad (lapor diri): Wati in Kuala Lumpur, a few of the population in
        four countries, one of them out of contact (garda/abroad/demo.py)."""
        from garda.abroad.demo import populate as abroad_populate

        users = {
            u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.garda.id")
        }
        self.quiet.write(f"Demo stays abroad: {abroad_populate(users)}\n")

    def _cases(self) -> None:
        """Protection cases in several stages, one breached and escalated, one for
        the worker persona, a public report followed with the demo tracking secret."""
        from garda.cases.demo import populate as cases_populate

        users = {
            u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.garda.id")
        }
        counts = cases_populate(users)
        self.case_tracking = counts["tracking"]
        self.quiet.write(
            f"Demo cases: {counts['cases']} cases, {counts['escalations']} escalations\n"
        )
        self._interceptions(users)
        self._referrals(users)
        self._repatriations(users)
        self._reintegration(users)
        self._outreach(users)

    def _interceptions(self, users: dict) -> None:
        """People stopped before a non-procedural departure, one a case, a broker
        named five times (garda/interceptions/demo.py)."""
        from garda.interceptions.demo import populate as interceptions_populate

        counts = interceptions_populate(users)
        self.quiet.write(f"Demo interceptions: {counts['total']} interceptions\n")

    def _referrals(self, users: dict) -> None:
        """Referrals to BP3MI (Putri's inbox) and Dinsos (garda/referrals/demo.py)."""
        from garda.referrals.demo import populate as referrals_populate

        made = referrals_populate(users)
        self.quiet.write(f"Demo referrals: {made} referrals\n")

    def _repatriations(self, users: dict) -> None:
        """People coming home: a case's return, a death, an evacuation on two flights
        (garda/cases/demo.py, issue 16)."""
        from garda.cases.demo import populate_repatriations

        counts = populate_repatriations(users)
        self.quiet.write(f"Demo repatriations: {counts['repatriations']} started\n")

    def _reintegration(self, users: dict) -> None:
        """Returnees: a plan made late with two follow-ups, a plan on time, one
        waiting for a plan (garda/reintegration/demo.py, issue 16)."""
        from garda.reintegration.demo import populate as reintegration_populate

        counts = reintegration_populate(users)
        self.quiet.write(f"Demo returnees: {counts['returnees']}\n")

    def _figures(self) -> None:
        """The dashboards' snapshots of the demo's data (garda/reports, the hourly job's
        work done once now)."""
        from garda.reports.demo import populate_past_year
        from garda.reports.snapshots import snapshot_all

        populate_past_year()  # a year that has ended: the public statistics publish it
        written = snapshot_all()
        self.quiet.write(f"Demo figures: {len(written)} snapshots\n")

    def _outreach(self, users: dict) -> None:
        """Outreach events, check-ins, announcements (garda/outreach/demo.py)."""
        from garda.outreach.demo import populate as outreach_populate

        counts = outreach_populate(users)
        self.quiet.write(f"Demo outreach: {counts['events']} events\n")

    def _print_logins(self, address: str, mail_dir) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"Demo logins: {len(DEMO_USERS)} accounts, password for all: {DEMO_PASSWORD}"
        )
        width = max(len(email) for email, *_ in DEMO_USERS)
        for email, name, role, agency in DEMO_USERS:
            where = f", {agency}" if agency else ""
            self.stdout.write(f"  {role:<10} {email:<{width}}  {name}{where}")
        reference, secret = getattr(self, "case_tracking", (None, None))
        if reference:
            self.stdout.write(f"Public case tracking: number {reference}, secret {secret}")
        self.stdout.write(f"E-mails are written to {mail_dir}/ (one file per message).")
        self.stdout.write(
            f"A new worker signs up at {address}/accounts/signup/ and finishes with the link"
            " in the e-mail written there."
        )
        self.stdout.write(f"Open {address}/ — second factor is OFF in the demo.")
