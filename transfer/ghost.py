"""Ghost: the JSON file of Settings → Labs → Export (Ghost 4 and 5), and the site's
``content/images`` folder when the author has it (self-hosted: ``content/images`` on the
server; Ghost(Pro): ask support for it).

What becomes what:

- Bodies: a post written only in Markdown cards (``lexical`` or ``mobiledoc``) keeps its
  Markdown as written; anything else is converted from the ``html`` Ghost rendered, its
  cards included (image, gallery, embed, bookmark, audio, video, callout).
- ``status`` published is published, scheduled is published at its future date (the site
  schedules it), draft and sent (emailed, never on the site) are drafts; members-only and paid
  posts are noted (the site has no paywall: they become public when published). Pages
  (``type`` page) are drafts with a note.
- ``published_at`` is UTC in the export and stays so. ``custom_excerpt`` is the description;
  ``meta_description`` and the feature image's alt and caption come from ``posts_meta`` in
  Ghost 5 and from the post itself in Ghost 4.
- Tags in their order (``posts_tags``); internal tags (``#name``) are left out and named;
  the primary author is the first of ``posts_authors``.
- Images: ``__GHOST_URL__/content/images/2023/01/x.jpg`` and its resized copies
  (``/content/images/size/w600/2023/01/x.jpg``) are the file ``2023/01/x.jpg`` of the images
  folder; links to ``__GHOST_URL__/other-post/`` become site paths, which the old posts'
  redirects answer. The old address of a post is ``/slug/``.
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .dates import iso_datetime
from .markup import ConversionError, plain_text, to_markdown
from .sources import Report, SourceAuthor, SourceImage, SourcePost

GHOST_URL = "__GHOST_URL__"
MAX_EXPORT_BYTES = 512 * 1024 * 1024  # a Ghost export of 10,000 posts is well under 100 MB


def _markdown_only_lexical(document):
    """The Markdown of a lexical document made only of Markdown cards, else None."""
    try:
        root = json.loads(document)["root"]
    except (ValueError, KeyError, TypeError):
        return None
    parts = []
    for node in root.get("children", []):
        if node.get("type") == "markdown":
            parts.append(node.get("markdown", ""))
        elif node.get("type") == "paragraph" and not node.get("children"):
            continue  # the empty paragraph the editor keeps after a card
        else:
            return None
    return "\n\n".join(parts) if parts else None


def _markdown_only_mobiledoc(document):
    """The Markdown of a mobiledoc made only of Markdown cards, else None."""
    try:
        doc = json.loads(document)
        cards, sections = doc.get("cards", []), doc.get("sections", [])
    except (ValueError, AttributeError, TypeError):
        return None
    parts = []
    for section in sections:
        if section and section[0] == 10:  # a card section: [10, card index]
            name, payload = cards[section[1]]
            if name not in {"markdown", "card-markdown"}:
                return None
            parts.append(payload.get("markdown", ""))
        elif section and section[0] == 1 and not section[2]:
            continue  # an empty paragraph
        else:
            return None
    return "\n\n".join(parts) if parts else None


def _rewrite(url):
    return url.replace(GHOST_URL, "") if url else url


def _bookmarks(soup, context):
    for card in soup.select("figure.kg-bookmark-card"):
        link = card.find("a", href=True)
        title = card.select_one(".kg-bookmark-title")
        if link is None:
            continue
        text = plain_text(str(title)) if title else link["href"]
        card.replace_with(context.verbatim(f"[{text}]({_rewrite(link['href'])})"))
    for card in soup.select(".kg-button-card a[href]"):
        card.parent.replace_with(
            context.verbatim(f"[{plain_text(str(card))}]({_rewrite(card['href'])})")
        )
    for card in soup.select(".kg-signup-card, .kg-cta-card form"):
        card.decompose()
        context.note("a Ghost signup card left out")


class GhostReader:
    """Reads a Ghost export; images from ``images`` (default: ``content/images`` or ``images``
    beside the JSON)."""

    name = "Ghost"

    def __init__(self, images: Path | None = None):
        self.images = Path(images) if images else None

    def with_uploads(self, folder):
        """This reader with the images folder (``content/images``) somewhere else."""
        return type(self)(images=folder)

    def detect(self, path):
        path = Path(path)
        if not (path.is_file() and path.suffix.lower() == ".json"):
            return False
        with open(path, "rb") as f:
            head = f.read(8192)
        return b'"meta"' in head and b'"exported_on"' in head

    def read(self, path, report: Report) -> Iterator[SourcePost]:
        path = Path(path)
        report.source = self.name
        origin = str(path)
        if path.stat().st_size > MAX_EXPORT_BYTES:
            report.problem(origin, f"refused: over {MAX_EXPORT_BYTES // 2**20} MB")
            return
        try:
            export = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            report.problem(origin, f"not a JSON file: {error}")
            return
        data = (export.get("db") or [export])[0].get("data") if isinstance(export, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
            report.problem(
                origin, 'not a Ghost export: expected {"db": [{"data": {"posts": ...}}]}'
            )
            return
        self._folder = self._images_folder(path)
        try:
            tags, users, meta, post_tags, post_authors = self._tables(data)
        except (KeyError, TypeError, AttributeError) as error:
            report.problem(origin, f"not a Ghost export: a table row lacks {error}")
            return
        for post in data["posts"]:
            if not isinstance(post, dict) or "id" not in post:
                report.problem(origin, "a post with no id left out: the export is damaged")
                continue
            authors = post_authors.get(post["id"]) or [post.get("author_id")]
            try:
                source = self._post(
                    path,
                    post,
                    meta.get(post["id"], {}),
                    [tags[t] for t in post_tags.get(post["id"], []) if t in tags],
                    [users[a] for a in authors if a in users],
                    report,
                )
            except ConversionError as error:
                report.problem(f"{path} (post {post.get('slug') or post['id']})", str(error))
                continue
            except (KeyError, TypeError, AttributeError, ValueError) as error:
                report.problem(
                    f"{path} (post {post.get('slug') or post['id']})",
                    f"not imported: a field Ghost always writes is missing or odd ({error!r})",
                )
                continue
            yield source

    @staticmethod
    def _tables(data):
        """Tags, users and posts_meta by id; each post's tag ids and author ids, in order."""
        tags = {t["id"]: t for t in data.get("tags", [])}
        users = {u["id"]: u for u in data.get("users", [])}
        meta = {m["post_id"]: m for m in data.get("posts_meta", [])}
        post_tags, post_authors = {}, {}
        for row in sorted(data.get("posts_tags", []), key=lambda r: r.get("sort_order") or 0):
            post_tags.setdefault(row["post_id"], []).append(row["tag_id"])
        for row in sorted(data.get("posts_authors", []), key=lambda r: r.get("sort_order") or 0):
            post_authors.setdefault(row["post_id"], []).append(row["author_id"])
        return tags, users, meta, post_tags, post_authors

    def _images_folder(self, path):
        for folder in (self.images, path.parent / "content" / "images", path.parent / "images"):
            if folder is not None and folder.is_dir():
                return folder.resolve()
        return None

    def image_file(self, url):
        """The file of the images folder that ``url`` shows, or None."""
        if self._folder is None or not url:
            return None
        m = re.search(
            r"/content/images/(?:size/[\w-]+/)?(?:format/\w+/)?(.+)$", unquote(urlsplit(url).path)
        )
        if m is None:
            return None
        found = (self._folder / m[1]).resolve()
        return found if found.is_relative_to(self._folder) and found.is_file() else None

    def _post(self, path, post, meta, tags, authors, report):
        notes = []
        slug = post.get("slug", "")
        origin = f"{path} (post {slug or post.get('id')})"
        status = post.get("status", "draft")
        is_page = post.get("type") == "page" or post.get("page") in (True, 1)

        body = None
        for field, markdown_only in (
            ("lexical", _markdown_only_lexical),
            ("mobiledoc", _markdown_only_mobiledoc),
        ):
            if post.get(field):
                body = markdown_only(post[field])
                break
        assets = {}
        if body is not None:
            body = body.replace(GHOST_URL, "").strip() + "\n"
            images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", body)
        else:
            html = post.get("html")
            if html is None and post.get("plaintext"):
                notes.append("no HTML in the export: the body is its plain text")
                html = "".join(f"<p>{p}</p>" for p in post["plaintext"].split("\n\n"))
            converted = to_markdown(html or "", rewrite_url=_rewrite, prepare=_bookmarks)
            body = converted.markdown
            images = [image.src for image in converted.images]
            notes.extend(converted.notes)
        for src in images:
            found = self.image_file(src)
            if found is not None:
                assets[src] = found
            elif src.startswith("/content/images/"):
                notes.append(f"image not in the images folder: {src}")
            else:
                notes.append(f"image from another site, still loaded from there: {src}")

        draft = status not in {"published", "scheduled"} or is_page
        if status == "sent":
            notes.append("sent as an email only in Ghost, never on the site: imported as a draft")
        if is_page:
            notes.append("a Ghost page, imported as a draft post: its text may belong in About")
        if post.get("visibility") not in (None, "public"):
            notes.append(
                f"for {post['visibility']} only in Ghost: this site has no members, so it is "
                "public once published"
            )
        for field in ("codeinjection_head", "codeinjection_foot"):
            if post.get(field) or meta.get(field):
                notes.append(
                    f"Ghost code injection ({field}) left out: the site runs no scripts from posts"
                )
        meta_title = meta.get("meta_title") or post.get("meta_title")
        if meta_title and meta_title != post.get("title"):
            notes.append(f"the SEO title “{meta_title}” is not carried over (the title is used)")

        internal = [
            t["name"]
            for t in tags
            if t.get("visibility") == "internal" or t["name"].startswith("#")
        ]
        if internal:
            notes.append("internal tags left out: " + ", ".join(internal))
            report.count("internal tags left out", len(internal))

        author = None
        if authors:
            user = authors[0]
            author = SourceAuthor(
                name=user.get("name", ""),
                email=user.get("email") or "",
                slug=user.get("slug") or "",
                bio=user.get("bio") or "",
                website=user.get("website") or "",
            )
            if len(authors) > 1:
                notes.append(
                    "co-authors not carried over: "
                    + ", ".join(a.get("name", "") for a in authors[1:])
                )

        return SourcePost(
            origin=origin,
            title=post.get("title") or "",
            body=body,
            slug=slug,
            description=post.get("custom_excerpt") or "",
            meta_description=meta.get("meta_description") or post.get("meta_description") or "",
            canonical_url=post.get("canonical_url") or "",
            published_at=iso_datetime(post.get("published_at"))
            if status in {"published", "scheduled"}
            else None,
            draft=draft,
            author=author,
            tags=[t["name"] for t in tags if t["name"] not in internal],
            image=self._feature(post, meta, notes),
            assets=assets,
            old_urls=[f"/{slug}/"] if status == "published" and slug else [],
            notes=notes,
        )

    def _feature(self, post, meta, notes):
        url = _rewrite(post.get("feature_image") or "")
        if not url:
            return None
        found = self.image_file(url)
        if found is None:
            notes.append(f"feature image not in the images folder: {url}")
        return SourceImage(
            path=found,
            url=url,
            alt=meta.get("feature_image_alt") or post.get("feature_image_alt") or "",
            caption=plain_text(
                meta.get("feature_image_caption") or post.get("feature_image_caption") or ""
            ),
        )
