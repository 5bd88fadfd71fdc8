from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from web.demo import (
    ADMIN_USERNAME,
    FEATURE_BRANCH,
    REPOSITORY,
    USERNAME,
    missing_status_curl,
    pull_url,
    seed_demo,
)


class Command(BaseCommand):
    help = (
        "Create the demo user and repository (main protected, a pull request waiting for "
        "ci/lint), and an admin account when there is no superuser (once; their generated "
        "passwords are printed only then), and print a fresh personal access token and the "
        "command that reports the missing status."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        site_url = settings.GITFORGE_EXTERNAL_URL
        demo = seed_demo(site_url=site_url)
        if demo.password:
            self.stdout.write(f"Demo user:      {USERNAME} / {demo.password} (shown once)")
        else:
            self.stdout.write(
                f"Demo user:      {demo.user.username} (password shown when it was set; "
                f"`python manage.py changepassword {demo.user.username}` sets another)"
            )
        if demo.admin_password:
            self.stdout.write(
                f"Admin user:     {ADMIN_USERNAME} / {demo.admin_password} (shown once)"
            )
        self.stdout.write(
            f"Demo repository: {USERNAME}/{REPOSITORY} (branches main, {FEATURE_BRANCH})"
        )
        self.stdout.write(f"Demo token:     {demo.token}")
        if demo.pull is not None:
            self.stdout.write(
                f"Pull request:   {pull_url(site_url, demo.pull)} waits for ci/lint. "
                "Report it passed, watch the page turn green, and merge:"
            )
            self.stdout.write(
                missing_status_curl(site_url=site_url, pull=demo.pull, token=demo.token)
            )
