"""manage.py setup_demo: the demo site of `make run`, loaded once into an empty site."""

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from blog.models import Author, Post
from demo.loaders import books, enquiries, images, praise, site

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
DEMO_CONTENT = DEMO_DIR / "content"
# Each fills its part of an empty site from DEMO_DIR, in this order.
LOADERS = [site, images, books, praise, enquiries]


class Command(BaseCommand):
    help = (
        "Load the demo content into an empty site and create an admin user if there is none. "
        "Safe to run every time: it never overwrites what is there."
    )

    def handle(self, *args, **options):
        if Post.objects.exists() or Author.objects.exists():
            self.stdout.write("Content already present; demo content not loaded.")
        else:
            call_command("import_markdown", str(DEMO_CONTENT), stdout=self.stdout)
        for loader in LOADERS:
            self.stdout.write(loader.load(DEMO_DIR))

        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(self.saved_login(User) or "An admin user already exists.")
            return
        login_file = Path(settings.ADMIN_LOGIN_FILE)
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser("admin", "admin@example.com", password)
        owner = Author.objects.filter(user=None).order_by("pk").first()
        if owner:
            owner.user = user
            owner.save(update_fields=["user"])
        login_file.parent.mkdir(parents=True, exist_ok=True)
        login_file.write_text(f"user 'admin', password '{password}'\n")
        login_file.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(f"Created admin login: user 'admin', password '{password}'")
        )

    @staticmethod
    def saved_login(User):
        """The login this command created, if it still opens this database's admin."""
        login_file = Path(settings.ADMIN_LOGIN_FILE)
        if not login_file.exists():
            return None
        match = re.fullmatch(r"user '(.+)', password '(.+)'", login_file.read_text().strip())
        if not match:
            return None
        user = User.objects.filter(username=match[1], is_superuser=True).first()
        if user and user.check_password(match[2]):
            return f"Admin login: {login_file.read_text().strip()}"
        return None
