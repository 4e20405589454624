"""``<picture>`` markup for uploaded images, from their stored renditions (core.images.renditions).

One function writes the markup for featured images (through the ``{% picture %}`` tag) and for
images in Markdown (``responsive_images``, run on the sanitized HTML), so both look the same.
Nothing here opens a file: sizes and names come from what was stored on upload.
"""

import html
import re
from typing import NamedTuple
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

# The article column (--measure, 42rem) on wide screens; the whole width, less the page's
# padding, on narrow ones.
ARTICLE_SIZES = "(min-width: 45rem) 42rem, calc(100vw - 2.5rem)"
# A captioned figure may be as wide as the page (--breakout in site.css: 72rem less gutters).
FIGURE_SIZES = "(min-width: 72rem) 69.5rem, calc(100vw - 2.5rem)"


class Picture(NamedTuple):
    """An image ready to render: its fallback ``src`` and size, and ``(type, srcset)`` pairs."""

    src: str
    width: int | None
    height: int | None
    alt: str
    sources: tuple = ()  # (content type, srcset) per format, fallback last

    @classmethod
    def from_renditions(cls, described, url, width, height, alt):
        """A picture from ``make_renditions``' description; just the original without one."""
        described = described or {}
        if not described.get("sources"):
            return cls(url, width or described.get("width"), height or described.get("height"), alt)
        full_width, full_height = described["width"], described["height"]
        sources = tuple(
            (
                source["type"],
                ", ".join(f"{default_storage.url(name)} {w}w" for w, name in source["files"]),
            )
            for source in described["sources"]
        )
        largest_width, largest = described["sources"][-1]["files"][-1]
        return cls(
            default_storage.url(largest),
            largest_width,
            round(full_height * largest_width / full_width),
            alt,
            sources,
        )


def picture_html(picture, sizes=ARTICLE_SIZES, priority=False, css_class=""):
    """The markup for ``picture``: ``<picture>`` with a source per modern format, or a plain
    ``<img>`` when there are no renditions. ``priority`` is for the one image a reader sees
    first: fetched early and never lazily; every other image loads lazily. ``css_class``
    goes on the ``<img>``."""
    if priority:
        loading = mark_safe(' fetchpriority="high"')  # nosec B308 # a constant
    else:
        loading = mark_safe(' loading="lazy" decoding="async"')  # nosec B308 # a constant
    size = format_html(' width="{}" height="{}"', picture.width, picture.height)
    if picture.width is None or picture.height is None:
        size = ""
    css_class = format_html(' class="{}"', css_class) if css_class else ""
    if not picture.sources:
        return format_html(
            '<img{} src="{}" alt="{}"{}{}>', css_class, picture.src, picture.alt, size, loading
        )
    *modern, (_fallback_type, fallback_srcset) = picture.sources
    return format_html(
        '<picture>{}<img{} src="{}" srcset="{}" sizes="{}" alt="{}"{}{}></picture>',
        format_html_join(
            "", '<source type="{}" srcset="{}" sizes="{}">', ((t, s, sizes) for t, s in modern)
        ),
        css_class,
        picture.src,
        fallback_srcset,
        sizes,
        picture.alt,
        size,
        loading,
    )


def figure_html(inner, caption="", credit=""):
    """``inner`` in a ``<figure>``, with a caption and credit when there are any."""
    if not (caption or credit):
        return format_html("<figure>{}</figure>", inner)
    credit_html = format_html(' <small class="credit">{}</small>', credit) if credit else ""
    return format_html(
        "<figure>{}<figcaption>{}{}</figcaption></figure>", inner, caption, credit_html
    )


# Run on sanitized HTML: nh3 double-quotes every attribute and escapes <, > and " inside
# values, so these match only real tags and whole attributes.
_IMAGE = re.compile(r"(<p>)?(<img\s[^>]*>)(</p>)?")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
CREDIT_SEPARATOR = " | "


def responsive_images(fragment, lead_image=False, renditions_of=None):
    """Rewrite the images of sanitized HTML for readers.

    - an image uploaded through the editor becomes a ``<picture>`` with its renditions, width
      and height, found by ``renditions_of({name, ...})`` (one call for all of them) ->
      ``{name: renditions}``; others stay as they are;
    - an image alone in its paragraph with a title becomes a ``<figure>``: the title is the
      caption, and text after " | " in it is the credit;
    - with ``lead_image``, the first image is fetched first instead of lazily (for a post
      without a featured image, whose first body image is the largest a reader sees first).
    """
    matches = list(_IMAGE.finditer(fragment))
    if not matches:
        return fragment
    attributes = [
        {key: html.unescape(value) for key, value in _ATTRIBUTE.findall(match[2])}
        for match in matches
    ]
    records = _uploaded((attrs.get("src", "") for attrs in attributes), renditions_of)
    parts, end = [], 0
    for index, (match, attrs) in enumerate(zip(matches, attributes, strict=True)):
        parts.append(fragment[end : match.start()])
        end = match.end()
        alone = bool(match[1] and match[3])
        caption = attrs.pop("title", "") if alone else ""
        priority = lead_image and index == 0
        described = records.get(attrs.get("src", ""))
        if described is None:
            # Not ours: left as the sanitizer wrote it, unless it leads or lost its caption.
            image = _plain_image(attrs, priority) if priority or caption else match[2]
        else:
            picture = Picture.from_renditions(
                described, attrs["src"], None, None, attrs.get("alt", "")
            )
            sizes = FIGURE_SIZES if caption else ARTICLE_SIZES
            image = picture_html(picture, sizes=sizes, priority=priority)
        if caption:
            caption, _, credit = caption.partition(CREDIT_SEPARATOR)
            parts.append(figure_html(image, caption.strip(), credit.strip()))
        else:
            parts.append(f"{match[1] or ''}{image}{match[3] or ''}")
    parts.append(fragment[end:])
    return "".join(parts)


def _plain_image(attrs, priority):
    """An image that is not one of our uploads, from its sanitized attributes."""
    if priority:
        attrs.pop("loading", None)
        attrs.pop("decoding", None)
        attrs["fetchpriority"] = "high"
    return format_html(
        "<img {}>", format_html_join(" ", '{}="{}"', ((key, value) for key, value in attrs.items()))
    )


# The editor stores uploads under a random hex name (core.images.uploads.clean_image_upload).
UPLOAD_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|png|webp|gif)")


def _uploaded(srcs, renditions_of):
    """``{src: renditions}`` for the srcs that are editor uploads with renditions.

    Only names the editor could have made are looked up: Markdown without uploads costs
    no query.
    """
    prefix = settings.MEDIA_URL + settings.MARKDOWNX_MEDIA_PATH
    names = {
        src: settings.MARKDOWNX_MEDIA_PATH + unquote(src.removeprefix(prefix))
        for src in srcs
        if src.startswith(prefix) and UPLOAD_NAME.fullmatch(unquote(src.removeprefix(prefix)))
    }
    if not names or renditions_of is None:
        return {}
    found = renditions_of(set(names.values()))
    return {src: found[name] for src, name in names.items() if name in found}
