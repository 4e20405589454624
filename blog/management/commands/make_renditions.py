"""Make responsive renditions for images uploaded before renditions existed (or all, again)."""

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from blog.models import BodyImage, Post
from blog.pictures import UPLOAD_NAME
from blog.renditions import make_renditions
from blog.rerendering import rerender
from site_config.page_cache import content_changed


class Command(BaseCommand):
    help = (
        "Make the responsive renditions of featured images, book covers and editor uploads "
        "that have none, then re-render the Markdown that shows them. --all remakes them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake existing renditions too.")

    def handle(self, *args, all=False, **options):
        featured = self.featured_images(all)
        uploads = self.body_images(all)
        rerendered = self.rerender() if uploads else 0
        if featured:
            content_changed()  # stored with update(), which no cached page hears of
        self.stdout.write(
            f"Renditions made for {featured} featured image(s) or cover(s) and {uploads} uploaded "
            f"image(s); {rerendered} text(s) re-rendered."
        )

    def featured_images(self, remake):
        count = 0
        fields = [
            (Post, "featured_image", "featured_image_renditions"),
            (apps.get_model("books", "Book"), "cover", "cover_renditions"),
        ]
        for model, image_field, renditions_field in fields:
            for item in model.objects.exclude(**{image_field: ""}).only(image_field):
                name = getattr(item, image_field).name
                if remake or getattr(item, renditions_field).get("name") != name:
                    # An update, not save(): a post's "updated" date stays the writer's.
                    model.objects.filter(pk=item.pk).update(
                        **{renditions_field: make_renditions(name)}
                    )
                    count += 1
        return count

    def body_images(self, remake):
        folder = settings.MARKDOWNX_MEDIA_PATH
        try:
            _folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return 0
        known = set(BodyImage.objects.values_list("name", flat=True))
        count = 0
        for file_name in sorted(files):
            name = folder + file_name
            if not UPLOAD_NAME.fullmatch(file_name) or (name in known and not remake):
                continue
            BodyImage.objects.update_or_create(
                name=name, defaults={"renditions": make_renditions(name)}
            )
            count += 1
        return count

    def rerender(self):
        """Render again every text that shows an upload."""
        return rerender(containing=settings.MEDIA_URL + settings.MARKDOWNX_MEDIA_PATH)
