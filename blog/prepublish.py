"""Pre-publish checks: what a post needs before readers see it, and where to fix it.

Each check names its level, a message and the exact place ("Paragraph 4 (line 23)",
"Heading 'Costs' (line 57)"). Errors block publishing (see ``blog.forms``); warnings
never block anything. The body is checked as Markdown source, so places carry line
numbers the author can find in the editor; fenced code blocks are skipped.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage

from core.markdown.links import IMAGE, links_in
from core.markdown.reading_time import measure

from .rendering import render_markdown, resolve_internal_link

ERROR = "error"
WARNING = "warning"
SUMMARY_LENGTH = 160
LONG_PARAGRAPH_WORDS = 150
# What the editor inserts for a dropped image, for the author to replace.
PLACEHOLDER_ALT = "describe this image"


class Check(NamedTuple):
    level: str
    message: str
    where: str
    # Where the editor takes the author when the item is clicked: a form field, and for
    # the body the line (1-based).
    field: str = "body"
    line: int | None = None

    @property
    def blocks_publishing(self):
        return self.level == ERROR


@dataclass
class CheckedPost:
    """What the checks look at: a saved post, or the post form as it stands."""

    title: str = ""
    slug: str = ""
    body: str = ""
    description: str = ""
    meta_description: str = ""
    has_featured_image: bool = False
    featured_image_alt: str = ""
    # The stored featured image's name in media storage ("" for none, or a new upload).
    featured_image_name: str = ""
    tag_count: int = 0
    pk: int | None = None

    @classmethod
    def of(cls, post):
        return cls(
            title=post.title,
            slug=post.slug,
            body=post.body,
            description=post.description,
            meta_description=post.meta_description,
            has_featured_image=bool(post.featured_image),
            featured_image_alt=post.featured_image_alt,
            featured_image_name=post.featured_image.name or "",
            tag_count=post.tags.count() if post.pk else 0,
            pk=post.pk,
        )


def run_checks(draft, links=None):
    """Every check on ``draft``, errors first. ``links`` (a LinkChecker) adds the link checks."""
    found = [
        *field_checks(draft),
        *featured_image_file_checks(draft),
        *slug_checks(draft),
        *body_checks(draft.body, links),
    ]
    return sorted(found, key=lambda check: check.level != ERROR)


def field_checks(draft):
    found = []
    if not draft.title.strip():
        found.append(Check(ERROR, "The post needs a title.", "Title", "title"))
    if draft.has_featured_image and not draft.featured_image_alt.strip():
        found.append(
            Check(
                ERROR,
                "Describe the featured image (alt text).",
                "Featured image description",
                "featured_image_alt",
            )
        )
    summary, where, field = (
        (draft.meta_description, "Meta description", "meta_description")
        if draft.meta_description.strip()
        else (draft.description, "Description", "description")
    )
    if not summary.strip():
        found.append(
            Check(
                WARNING,
                "No description: search results and link previews will guess one.",
                "Description",
                "description",
            )
        )
    elif len(summary) > SUMMARY_LENGTH:
        found.append(
            Check(
                WARNING,
                f"{len(summary)} characters: search results cut it at about {SUMMARY_LENGTH}.",
                where,
                field,
            )
        )
    if not draft.tag_count:
        found.append(Check(WARNING, "No tags: tags lead readers to related posts.", "Tags", "tags"))
    return found


def slug_checks(draft):
    from .models import Post

    if not draft.slug:
        return []
    taken = Post.objects.filter(slug=draft.slug).exclude(pk=draft.pk)
    if taken.exists():
        return [
            Check(ERROR, f"Another post already uses the address {draft.slug}.", "Slug", "slug")
        ]
    return []


# --- The body ---------------------------------------------------------------------------

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
NOT_A_PARAGRAPH = re.compile(r"^(\s{4}|\t|#|>|[-*+]\s|\d+[.)]\s|\||!!!|<|\[\^|[-*_]{3,}\s*$|\{:)")
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\s*[(\[]\s*<?([^)\]\s>]*)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_ALT = re.compile(r"""\balt\s*=\s*(["'])\s*\S.*?\1""", re.IGNORECASE | re.DOTALL)
LINK_TARGET = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)")


class Block(NamedTuple):
    """A run of non-blank source lines: (1-based first line number, lines, paragraph number)."""

    line: int
    lines: list
    paragraph: int | None


def blocks(markdown_text):
    """The body's blocks outside fenced code, paragraphs numbered as readers count them."""
    found, current, start, in_fence, paragraphs = [], [], 0, False, 0

    def close():
        nonlocal paragraphs
        if current:
            number = None
            if not NOT_A_PARAGRAPH.match(current[0]):
                paragraphs += 1
                number = paragraphs
            found.append(Block(start, list(current), number))
            current.clear()

    for number, line in enumerate((markdown_text or "").splitlines(), start=1):
        if FENCE.match(line):
            close()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not line.strip():
            close()
        elif HEADING.match(line):
            close()  # a heading is its own block, blank lines or not
            found.append(Block(number, [line], None))
        else:
            if not current:
                start = number
            current.append(line)
    close()
    return found


def place(block, line_number):
    if block.paragraph:
        return f"Paragraph {block.paragraph} (line {line_number})"
    return f"Line {line_number}"


def lines_of(block):
    return enumerate(block.lines, start=block.line)


def image_checks(markdown_text):
    """Images in the body without a description: these block publishing."""
    found = []
    for block in blocks(markdown_text):
        for number, line in lines_of(block):
            for alt, src in MARKDOWN_IMAGE.findall(line):
                if not alt.strip() or alt.strip().lower() == PLACEHOLDER_ALT:
                    found.append(
                        Check(
                            ERROR,
                            f"Describe the image {src} (alt text).",
                            place(block, number),
                            line=number,
                        )
                    )
            for tag in HTML_IMAGE.findall(line):
                if not HTML_ALT.search(tag):
                    found.append(
                        Check(
                            ERROR,
                            "Describe the image (alt text).",
                            place(block, number),
                            line=number,
                        )
                    )
    return found


def heading_checks(markdown_text):
    """Headings that skip a level: the title is the H1, so sections start at H2."""
    found, previous = [], 1
    for block in blocks(markdown_text):
        match = HEADING.match(block.lines[0]) if block.paragraph is None else None
        if not match:
            continue
        level = max(2, len(match[1]))  # a # heading is shown as an H2
        text = match[2]
        if level > previous + 1:
            found.append(
                Check(
                    WARNING,
                    f"An H{level} after an H{previous} skips a level: make it an H{previous + 1}.",
                    f"Heading '{text}' (line {block.line})",
                    line=block.line,
                )
            )
        previous = level
    return found


def paragraph_checks(markdown_text):
    found = []
    for block in blocks(markdown_text):
        if block.paragraph is None:
            continue
        text = "\n".join(block.lines)
        # The rough count spares rendering every short paragraph.
        if len(text.split()) <= LONG_PARAGRAPH_WORDS:
            continue
        words = measure(render_markdown(text)).words
        if words > LONG_PARAGRAPH_WORDS:
            found.append(
                Check(
                    WARNING,
                    f"{words} words in one paragraph: consider splitting it "
                    f"(over {LONG_PARAGRAPH_WORDS} is hard to follow on a phone).",
                    f"Paragraph {block.paragraph} (line {block.line})",
                    line=block.line,
                )
            )
    return found


def link_checks(markdown_text, links):
    """Links to posts and books readers cannot reach, using a ``LinkChecker``."""
    found = []
    for block in blocks(markdown_text):
        for number, line in lines_of(block):
            for href in LINK_TARGET.findall(line):
                problem = links.problem_with(resolve_internal_link(href))
                if problem:
                    found.append(
                        Check(WARNING, f"{href}: {problem}", place(block, number), line=number)
                    )
    return found


# --- Files in media storage -------------------------------------------------------------
# Asked of the storage API (``default_storage.exists``), never of file paths, so the check
# means the same on a disk or a bucket. Warnings: whether a file is there depends on the
# storage at this moment (a restore under way, a bucket slow to answer), not on the text,
# and the page still reads without the image; the author decides.
MAX_MEDIA_FILES = 50  # files asked about per check, so a remote storage stays quick


def media_name(src):
    """The storage name of an image at this site's MEDIA_URL, or None for any other image."""
    media = settings.MEDIA_URL
    try:
        parts, base = urlsplit(src.strip()), urlsplit(media)
    except ValueError:
        return None
    if base.netloc:  # media served from another host (a CDN): its absolute address
        if (parts.netloc, parts.path[: len(base.path)]) != (base.netloc, base.path):
            return None
    elif parts.scheme or parts.netloc or not parts.path.startswith(base.path):
        return None
    return unquote(parts.path[len(base.path) :])


def stored(name):
    try:
        return bool(name) and default_storage.exists(name)
    except (SuspiciousFileOperation, ValueError, OSError):  # "../", a NUL byte…: not a file
        return False


def media_checks(markdown_text):
    """Images in the body at this site's media address whose file is not in storage."""
    found, asked = [], {}
    for link in links_in(markdown_text):
        name = media_name(link.url) if link.kind == IMAGE else None
        if name is None:
            continue
        if name not in asked:
            if len(asked) >= MAX_MEDIA_FILES:
                break
            asked[name] = stored(name)
        if not asked[name]:
            found.append(
                Check(
                    WARNING,
                    f"The image {link.url} is not in the media library: its file is missing.",
                    f"Line {link.line}",
                    line=link.line,
                )
            )
    return found


def featured_image_file_checks(draft):
    if draft.featured_image_name and not stored(draft.featured_image_name):
        return [
            Check(
                WARNING,
                f"The featured image's file ({draft.featured_image_name}) is missing: "
                "choose it again.",
                "Featured image",
                "featured_image",
            )
        ]
    return []


def body_checks(markdown_text, links=None):
    found = [
        *image_checks(markdown_text),
        *media_checks(markdown_text),
        *heading_checks(markdown_text),
        *paragraph_checks(markdown_text),
    ]
    if links is not None:
        found += link_checks(markdown_text, links)
    return found
