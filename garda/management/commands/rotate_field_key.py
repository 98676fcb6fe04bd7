import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from garda.management.rotation import BATCH, field_key_rotate, keys_fit


class Command(BaseCommand):
    help = (
        "Encrypt every encrypted field and document file again under the newest "
        "GARDA_FIELD_KEY (old keys in GARDA_FIELD_KEYS_OLD). Idempotent: run it again "
        "after an interruption. docs/operations.md, “Rotating the field key”."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be re-encrypted"
        )
        parser.add_argument("--batch-size", type=int, default=BATCH)
        parser.add_argument(
            "--show-pinned-keys",
            action="store_true",
            help="Print the audit chain and blind index keys in use, to pin them in the "
            "environment before GARDA_FIELD_KEY changes (secrets: keep them with the others)",
        )

    def handle(self, *args, dry_run, batch_size, show_pinned_keys, **options):
        if show_pinned_keys:
            for name, key in (
                ("GARDA_AUDIT_CHAIN_KEY", settings.AUDIT_CHAIN_KEY),
                ("GARDA_BLIND_INDEX_KEY", settings.BLIND_INDEX_KEY),
            ):
                self.stdout.write(f"{name}={base64.urlsafe_b64encode(key).decode()}")
            return
        problems = keys_fit(using="default")
        if problems:
            raise CommandError("Not rotating:\n" + "\n".join(problems))

        def progress(name, tally):
            self.stdout.write(
                f"{name}: {tally.checked} checked, {tally.rotated} "
                f"{'to re-encrypt' if dry_run else 're-encrypted'}"
                + (f", {tally.failed} UNREADABLE" if tally.failed else "")
            )

        rotation = field_key_rotate(
            dry_run=dry_run, using="default", batch_size=batch_size, progress=progress
        )
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(f"Done: {rotation.rotated} values and files {verb}.")
        if rotation.failed:
            self.stderr.write(
                f"{rotation.failed} values could not be decrypted with any configured key: "
                "keep the old keys configured and look into them before removing any key."
            )
            raise SystemExit(1)
