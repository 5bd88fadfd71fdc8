from django.core.management.base import BaseCommand, CommandError

from gitforge.accounts.models import User
from gitforge.accounts.scopes import parse_scopes
from gitforge.accounts.services import create_personal_access_token


class Command(BaseCommand):
    help = "Create a personal access token for USERNAME and print only the token."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scopes", required=True, help="comma separated, e.g. repo:status")
        parser.add_argument("--name", default="command line token")
        parser.add_argument("--expires-in-days", type=int, default=None)

    def handle(self, *args, username, scopes, name, expires_in_days, **options):
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        try:
            scope_list = parse_scopes(scopes)
            _, secret = create_personal_access_token(
                user=user, name=name, scopes=scope_list, expires_in_days=expires_in_days
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(secret)
