"""The markdownx editor's endpoints, made safe for the public internet.

As shipped, django-markdownx answers anyone, and trusts the browser's content
type and file name on upload. Ours answer staff who may write something the
editor is on (blog.roles.may_use_markdown_editor), render through the sanitizing
renderer, and let Pillow decide what a file is.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.http import require_POST

from core.images.renditions import make_renditions
from core.images.uploads import clean_image_upload

from . import roles
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
    if not roles.may_use_markdown_editor(request.user):
        return JsonResponse(
            {"image": ["You may not upload images: you cannot edit posts, authors or books."]},
            status=403,
        )
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    try:
        image = clean_image_upload(upload)
    except ValidationError as error:
        return JsonResponse({"image": error.messages}, status=400)
    name = default_storage.save(settings.MARKDOWNX_MEDIA_PATH + image.name, image)
    # Renditions now, once, so every render of the body finds them without opening files.
    BodyImage.objects.create(name=name, renditions=make_renditions(name))
    return JsonResponse({"image_code": f"![Describe this image]({default_storage.url(name)})"})
