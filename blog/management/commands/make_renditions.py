"""Make responsive renditions for images uploaded before renditions existed (or all, again)."""

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from blog.models import BodyImage
from blog.rerendering import rerender
from core.changes import announce
from core.images.pictures import UPLOAD_NAME
from core.images.renditions import WIDTHS, make_renditions


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
        self.stdout.write(
            f"Renditions made for {featured} featured image(s) or cover(s) and {uploads} uploaded "
            f"image(s); {rerendered} text(s) re-rendered."
        )

    def featured_images(self, remake):
        """Featured images and covers: every model's ``RENDITION_FIELDS`` ({image: renditions})."""
        count = 0
        for model in apps.get_models():
            for image_field, renditions_field in getattr(model, "RENDITION_FIELDS", {}).items():
                widths = getattr(model, "RENDITION_WIDTHS", {}).get(image_field, WIDTHS)
                changed = []
                items = model._default_manager.exclude(**{image_field: ""})
                for item in items.only(image_field, renditions_field):
                    name = getattr(item, image_field).name
                    if remake or getattr(item, renditions_field).get("name") != name:
                        # An update, not save(): a post's "updated" date stays the writer's.
                        model._default_manager.filter(pk=item.pk).update(
                            **{renditions_field: make_renditions(name, widths=widths)}
                        )
                        changed.append(item.pk)
                if changed:
                    announce(model, changed)
                count += len(changed)
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
        """Render again every text that shows an upload; how many changed."""
        return rerender(containing=settings.MEDIA_URL + settings.MARKDOWNX_MEDIA_PATH).changed
