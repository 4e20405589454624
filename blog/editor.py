"""The markdownx editor's endpoints, made safe for the public internet.

As shipped, django-markdownx answers anyone, and trusts the browser's content
type and file name on upload. Ours answer staff who may write something the
editor is on (blog.roles.may_use_markdown_editor), render through the sanitizing
renderer, and let Pillow decide what a file is.
"""

from functools import wraps

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from . import media, roles
from .models import BodyImage
from .rendering import render_markdown


def staff_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            return HttpResponseForbidden("Only signed-in staff can use the editor.")
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@staff_only
def markdownify(request):
    if not roles.may_use_markdown_editor(request.user):
        return HttpResponseForbidden(
            "You may not use the editor: you cannot edit posts, authors or books."
        )
    return HttpResponse(render_markdown(request.POST.get("content", "")))


@require_POST
@staff_only
def upload_image(request):
    """Add an image to the media library and answer its Markdown.

    The same image uploaded again (the same clean bytes) is not stored twice: the answer
    names the library's copy, with its alt text (``reused``: true).
    """
    if not roles.may_use_markdown_editor(request.user):
        return JsonResponse(
            {"image": ["You may not upload images: you cannot edit posts, authors or books."]},
            status=403,
        )
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    try:
        image, reused = media.add_upload(upload)
    except ValidationError as error:
        return JsonResponse({"image": error.messages}, status=400)
    return JsonResponse(
        {
            "image_code": media.markdown_for(image),
            "alt": image.alt,
            "url": image.url,
            "reused": reused,
        }
    )


LIBRARY_PAGE_SIZE = 24


@require_GET
@staff_only
def library(request):
    """The media library as JSON for the editor's picker: ``?q=`` searches, ``?page=`` pages."""
    if not roles.may_use_markdown_editor(request.user):
        return JsonResponse({"error": "You may not use the media library."}, status=403)
    query = media.clean_query(request.GET.get("q", ""))
    images = media.search(BodyImage.objects.all(), query).only(
        "name", "renditions", "alt", "width", "height"
    )
    page = Paginator(images, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "query": query,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "count": page.paginator.count,
            "has_next": page.has_next(),
            "results": [
                {
                    "id": image.pk,
                    "name": str(image),
                    "url": image.url,
                    "thumbnail": default_storage.url(image.thumbnail_name),
                    "alt": image.alt,
                    "width": image.width,
                    "height": image.height,
                    "markdown": media.markdown_for(image),
                }
                for image in page
            ],
        }
    )
