import os
import sys
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from garda.checks import DEVELOPMENT_WARNING
from garda.links import serve_url


class Command(BaseCommand):
    help = "Run the production server (gunicorn), static files served by the app."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("GARDA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("GARDA_WORKERS", "2"))
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply pending migrations first"
        )

    def handle(self, *args, host, port, workers, no_migrate, **options):
        if settings.PRODUCTION:
            # Every system check, deployment ones included, before anything starts: a
            # weak key, no mail server, a public address pointing at this machine
            # (garda/checks.py) refuse to serve.
            serious = [
                e for e in checks.run_checks(include_deployment_checks=True) if e.is_serious()
            ]
            if serious:
                raise CommandError(
                    "Refusing to serve in production:\n"
                    + "\n".join(f"{e.id}: {e.msg} {e.hint or ''}".rstrip() for e in serious)
                )
        else:
            # Loud, on stderr, every start: a development server on a network is a leak.
            self.stderr.write(self.style.ERROR(f"WARNING: {DEVELOPMENT_WARNING}"))
        if not settings.PRODUCTION and not settings.GARDA_BASE_URL:
            # Links built without a request (e-mails from commands and tasks) point
            # where this server listens; with a request, at the request's address.
            os.environ["GARDA_SERVE_URL"] = serve_url(host, port)
        # Gunicorn puts its folder (--chdir) first on sys.path: run it from the folder
        # holding the installed package, never the caller's (a folder holding a `garda`
        # directory, or garda/ itself, whose logging.py would shadow the standard
        # library's). The paths the workers read are passed on resolved, so a relative
        # GARDA_VAR_DIR still means the caller's folder.
        os.environ["GARDA_VAR_DIR"] = str(settings.VAR_DIR)
        for name in ("GARDA_STATIC_ROOT", "GARDA_FILES_DIR", "GARDA_MAIL_DIR"):
            if os.environ.get(name):
                os.environ[name] = str(Path(os.environ[name]).resolve())
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-P",  # nor does Python put the current folder on sys.path
            "-m",
            "gunicorn",
            "garda.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--timeout",
            "60",
            "--chdir",
            str(settings.BASE_DIR),
            "--forwarded-allow-ips",
            os.environ.get("GARDA_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"Garda serving on http://{host}:{port}/ (Ctrl+C to stop)")
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606  (replace this process with gunicorn)
