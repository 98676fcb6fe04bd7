from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a bearer API token for a user and print it once (only its hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="What the token is for")

    def handle(self, *args, email, name, **options):
        try:
            user = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            raise CommandError(f"No user with e-mail {email}") from None
        try:
            _token, key = api_token_create(actor=None, user=user, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(key)
        self.stderr.write("Store this token now: it cannot be shown again.")
        if user.role in roles.STAFF:
            self.stderr.write(
                "Note: bearer tokens do not ask for the second factor. Issue them to a "
                "dedicated account for the calling system, not to a person."
            )
