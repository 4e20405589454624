"""WordPress: the WXR file of Tools → Export (RSS 2.0 with the ``wp:``, ``content:``,
``excerpt:`` and ``dc:`` namespaces; WXR 1.0 to 1.2), and the site's ``uploads`` folder.

What becomes what:

- ``post`` items are posts: ``publish`` is published, ``future`` is published at its future
  date (so the site schedules it), ``draft``/``pending``/``private`` are drafts. ``page``
  items are drafts too, with a note (an About-like page says so): the site's pages are not
  posts. Attachments give the featured images (``_thumbnail_id``) and the captions and alt
  texts of images; comments are left out and counted; menus, reusable blocks and the like
  are counted and left out.
- The date keeps the site's offset: ``wp:post_date`` is local time, ``wp:post_date_gmt`` UTC.
- Bodies: classic-editor text goes through WordPress's own paragraph rule (blank line:
  paragraph, newline: line break) first; Gutenberg blocks are HTML already, except embeds
  (a link to the video or post) and dynamic blocks with no HTML of their own (kept visible).
  Shortcodes ``[caption]``, ``[embed]``, ``[gallery]``, ``[youtube]``, ``[vimeo]``,
  ``[audio]``, ``[video]``, ``[code]``/``[sourcecode]`` are converted; any other is kept as
  text in a fenced block and named in the notes. Then ``transfer.markup`` converts the HTML.
- Images: ``https://example.com/wp-content/uploads/2020/05/x-300x200.jpg`` is looked up as
  ``uploads/2020/05/x-300x200.jpg``, then the original ``x.jpg`` (and ``x-scaled.jpg``).
- The file is parsed with defusedxml: a file that declares entities (billion laughs, an
  external entity reading a local file) is refused whole, before anything is read from it.
"""

import datetime
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from .markup import Context, ConversionError, embed_link, fenced, plain_text, to_markdown
from .sources import Report, SourceAuthor, SourceImage, SourcePost

WP_EXPORT = re.compile(r"^http://wordpress\.org/export/\d+\.\d+/$")

# Pages an author would rather keep as the site's About (or contact) page than as a post.
ABOUT_LIKE = {"about", "about-me", "about-us", "bio", "biography", "contact", "me", "cv"}

# Gutenberg's enclosing blocks need nothing (their HTML is complete); these do.
EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?P<name>(?:core-)?embed(?:/[\w-]+)?)\s+(?P<attrs>\{(?:(?!-->).)*?\})\s*-->"
    r"(?P<inner>.*?)<!--\s*/wp:(?P=name)\s*-->",
    re.DOTALL,
)
SELF_CLOSING_BLOCK = re.compile(
    r"<!--\s*wp:(?P<name>[\w/-]+)(?P<attrs>\s+\{(?:(?!-->).)*?\})?\s*/-->", re.DOTALL
)
BLOCK_OPENER = re.compile(r"<!--\s*wp:(?P<name>[\w/-]+)[\s{]")
# Self-closing blocks that carry no content worth keeping.
QUIET_BLOCKS = {"more", "nextpage", "spacer", "separator"}

# Shortcodes recognised even without attributes or a closing tag (``[sic]`` in prose is not
# a shortcode; ``[contact-form-7 id="1"]`` or ``[foo]...[/foo]`` are).
KNOWN_SHORTCODES = {
    "caption", "wp_caption", "embed", "gallery", "youtube", "vimeo", "code", "sourcecode",
    "audio", "video", "playlist", "contact-form", "contact-form-7", "wpforms", "ninja_form",
    "gravityform", "jetpack_subscription_form", "tweet", "instagram", "googlemaps", "soundcloud",
    "spotify", "slideshare", "polldaddy", "recipe", "toc", "archives", "sitemap",
}  # fmt: skip
SHORTCODE = re.compile(
    r"\[(?P<name>[A-Za-z][\w-]*)(?P<attrs>(?:[\s=][^\]]*)?)\]"
    r"(?:(?P<content>(?:(?!\[(?P=name)[\s=\]]).)*?)\[/(?P=name)\])?",
    re.DOTALL,
)
ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))|"([^"]*)"|'([^']*)'|(\S+)"""
)

# What the report calls the items that are not posts, pages or attachments.
OTHER_ITEMS = {
    "nav_menu_item": "menu items left out",
    "wp_navigation": "navigation menus left out",
    "wp_block": "reusable blocks left out (their copies in posts came along)",
    "revision": "revisions left out",
    "wp_template": "theme templates left out",
    "wp_template_part": "theme templates left out",
    "wp_global_styles": "theme styles left out",
    "custom_css": "custom CSS left out",
}

BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|"
    "area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|"
    "hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|video|audio|"
    "object|script"
)
SIZE_VARIANT = re.compile(r"-\d+x\d+(?=\.\w+$)")


def autop(text):
    """WordPress's ``wpautop`` in short: a blank line makes a paragraph, a newline a ``<br>``.

    Classic-editor content is stored without ``<p>``; WordPress adds them when it shows the
    post. Block-level HTML is left as it is, and so is everything in ``<pre>``.
    """
    kept = []

    def keep(match):
        kept.append(match[0])
        return f"XTRANSFERPRE{len(kept) - 1}X"

    text = re.sub(r"<pre[\s>].*?</pre>", keep, text.replace("\r\n", "\n"), flags=re.S | re.I)
    text = re.sub(rf"(<(?:{BLOCK_TAGS})[\s/>])", r"\n\n\1", text, flags=re.I)
    text = re.sub(rf"(</(?:{BLOCK_TAGS})>)", r"\1\n\n", text, flags=re.I)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if re.match(rf"</?(?:{BLOCK_TAGS})[\s/>]|XTRANSFERPRE\d+X$", chunk, re.I):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + chunk.replace("\n", "<br />\n") + "</p>")
    text = "\n".join(paragraphs)
    return re.sub(r"XTRANSFERPRE(\d+)X", lambda m: kept[int(m[1])], text)


def shortcode_attributes(text):
    """``[name a="1" b='2' c=3 positional]`` → {"a": "1", ..., 0: "positional"}."""
    attrs, position = {}, 0
    for m in ATTRIBUTE.finditer(html.unescape(text or "").replace("”", '"').replace("″", '"')):
        if m[1]:
            attrs[m[1].lower()] = next(v for v in m.group(2, 3, 4) if v is not None)
        else:
            attrs[position] = next(v for v in m.group(5, 6, 7) if v is not None)
            position += 1
    return attrs


def wordpress_date(local, gmt):
    """``wp:post_date`` with the offset it has from ``wp:post_date_gmt``; None when unset."""
    try:
        when = datetime.datetime.strptime(local.strip(), "%Y-%m-%d %H:%M:%S")
    except (AttributeError, ValueError):
        return None
    try:
        utc = datetime.datetime.strptime(gmt.strip(), "%Y-%m-%d %H:%M:%S")
    except (AttributeError, ValueError):
        return None  # never published: WordPress wrote 0000-00-00 00:00:00
    minutes = round((when - utc).total_seconds() / 900) * 15
    if abs(minutes) > 14 * 60:
        return utc.replace(tzinfo=datetime.UTC)  # an offset no zone has: trust the UTC time
    return when.replace(tzinfo=datetime.timezone(datetime.timedelta(minutes=minutes)))


def _key(tag):
    """An element's name as the WXR documentation writes it: ``wp:post_id``, ``content:encoded``."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if WP_EXPORT.match(uri):
        return "wp:" + local
    if "/excerpt/" in uri:
        return "excerpt:" + local
    if "purl.org/rss/1.0/modules/content" in uri:
        return "content:" + local
    if "purl.org/dc/elements" in uri:
        return "dc:" + local
    return local


def _children(elem):
    values = {}
    for child in elem:
        values.setdefault(_key(child.tag), (child.text or "").strip())
    return values


def _postmeta(item):
    meta = {}
    for child in item:
        if _key(child.tag) == "wp:postmeta":
            fields = _children(child)
            meta.setdefault(fields.get("wp:meta_key", ""), []).append(
                fields.get("wp:meta_value", "")
            )
    return meta


def _path_of(url):
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


class WordPressReader:
    """Reads a WXR file; images from ``uploads`` (default: ``uploads/`` beside the file)."""

    name = "WordPress"

    def __init__(self, uploads: Path | None = None):
        self.uploads = Path(uploads) if uploads else None

    def with_uploads(self, folder):
        """This reader with the uploads folder (``wp-content/uploads``) somewhere else."""
        return type(self)(uploads=folder)

    def detect(self, path):
        path = Path(path)
        if not path.is_file():
            return False
        with open(path, "rb") as f:
            head = f.read(4096)
        return b"<rss" in head and b"wordpress.org/export/" in head

    def read(self, path, report: Report) -> Iterator[SourcePost]:
        path = Path(path)
        report.source = self.name
        uploads = self.uploads or path.parent / "uploads"
        self._uploads = uploads.resolve() if uploads.is_dir() else None
        try:
            authors, attachments = self._first_pass(path)
        except DefusedXmlException as error:
            report.problem(
                str(path),
                f"refused: the file declares XML entities or a DTD ({type(error).__name__}). "
                "WordPress never writes them; a file that does could expand without end or "
                "read other files. Export again from WordPress.",
            )
            return
        except ParseError as error:
            report.problem(str(path), f"not well-formed XML: {error}. Export again from WordPress.")
            return
        if self._uploads is None and attachments:
            report.note(
                str(path),
                f"no uploads folder at {uploads}: images keep their WordPress addresses. "
                "Download wp-content/uploads and give it with --uploads.",
            )
        self._authors, self._attachments = authors, attachments
        for _event, item in iterparse(str(path), events=("end",)):
            if _key(item.tag) != "item":
                continue
            post = self._item(path, item, report)
            item.clear()
            if post is not None:
                yield post

    def _first_pass(self, path):
        """Authors and attachments first: an item may come before its featured image."""
        authors, attachments = {}, {}
        for _event, elem in iterparse(str(path), events=("end",)):
            key = _key(elem.tag)
            if key == "wp:author":
                fields = _children(elem)
                login = fields.get("wp:author_login", "")
                full = " ".join(
                    filter(
                        None,
                        [fields.get("wp:author_first_name"), fields.get("wp:author_last_name")],
                    )
                )
                name = html.unescape(fields.get("wp:author_display_name") or full or login)
                authors[login] = SourceAuthor(name=name, email=fields.get("wp:author_email", ""))
            elif key == "item":
                fields = _children(elem)
                if fields.get("wp:post_type") == "attachment":
                    meta = _postmeta(elem)
                    attachments[fields.get("wp:post_id", "")] = {
                        "url": fields.get("wp:attachment_url") or fields.get("guid", ""),
                        "alt": (meta.get("_wp_attachment_image_alt") or [""])[0],
                        "caption": plain_text(fields.get("excerpt:encoded", "")),
                        "parent": fields.get("wp:post_parent", "0"),
                        "title": html.unescape(fields.get("title", "")),
                    }
                elem.clear()
        return authors, attachments

    # Images

    def upload_file(self, url):
        """The file in the uploads folder that ``url`` shows, or None."""
        if self._uploads is None or not url:
            return None
        m = re.search(r"/(?:wp-content/uploads|files)/(.+)$", unquote(urlsplit(url).path))
        if m is None:
            return None
        relative = m[1]
        candidates = [relative]
        if site := re.match(r"sites/\d+/(.+)", relative):
            candidates.append(site[1])
        for candidate in list(candidates):
            original = SIZE_VARIANT.sub("", candidate)
            candidates += [original, re.sub(r"(\.\w+)$", r"-scaled\1", original)]
        for candidate in candidates:
            found = (self._uploads / candidate).resolve()
            if found.is_relative_to(self._uploads) and found.is_file():
                return found
        return None

    # Items

    def _item(self, path, item, report):
        fields = _children(item)
        kind = fields.get("wp:post_type", "")
        post_id = fields.get("wp:post_id", "")
        status = fields.get("wp:status", "")
        title = html.unescape(fields.get("title", ""))
        origin = f"{path} ({kind or 'item'} {post_id}" + (f": {title})" if title else ")")
        if kind == "attachment":
            return None
        if kind not in {"post", "page"}:
            report.count(OTHER_ITEMS.get(kind, f"“{kind or 'untyped'}” items left out"))
            return None
        if status in {"trash", "auto-draft", "inherit"}:
            report.skip(origin, f"“{title}” is {status} in WordPress")
            return None
        comments = sum(1 for child in item if _key(child.tag) == "wp:comment")
        if comments:
            report.count("comments left out", comments)
        meta = _postmeta(item)
        notes = []

        draft = status not in {"publish", "future"}
        published_at = wordpress_date(
            fields.get("wp:post_date", ""), fields.get("wp:post_date_gmt", "")
        )
        if status == "future":
            notes.append(
                f"scheduled in WordPress for {published_at}: scheduled here for the same time"
            )
        elif status in {"pending", "private"}:
            notes.append(f"{status} in WordPress: imported as a draft")
        if status in {"draft", "pending"}:
            published_at = None  # the date of the last edit, not of a publication
        if fields.get("wp:post_password") and not draft:
            draft = True  # its readers had a password; here it would be public at once
            notes.append(
                "password-protected in WordPress: imported as a draft, since the site has no "
                "passwords; publish it only if it may be public"
            )

        slug = unquote(fields.get("wp:post_name", "")).strip()
        if kind == "page":
            draft = True
            about = slug in ABOUT_LIKE or title.strip().lower() in ABOUT_LIKE | {"about me"}
            notes.append(
                "a WordPress page, imported as a draft post"
                + (
                    ": it reads like an About page, so its text may belong in About"
                    if about
                    else ""
                )
            )

        tags = []
        for child in item:
            if _key(child.tag) != "category":
                continue
            domain, name = child.get("domain"), html.unescape((child.text or "").strip())
            if domain == "category" and child.get("nicename") == "uncategorized":
                report.count("“Uncategorized” categories left out")
            elif domain in {"category", "post_tag"} and name and name not in tags:
                tags.append(name)

        try:
            body, assets = self._body(fields.get("content:encoded", ""), post_id, notes)
        except ConversionError as error:
            report.problem(origin, str(error))
            return None

        old_urls = []
        if status == "publish":  # the only addresses anyone outside could have linked to
            if link := fields.get("link", ""):
                old_urls.append(_path_of(link))
                for old_slug in meta.get("_wp_old_slug", []):
                    if slug and f"/{slug}/" in link:
                        old_urls.append(_path_of(link.replace(f"/{slug}/", f"/{old_slug}/")))
            old_urls.append(f"/?{'p' if kind == 'post' else 'page_id'}={post_id}")

        login = fields.get("dc:creator", "")
        author = self._authors.get(login)
        if author is None and login:
            author = SourceAuthor(name=login)
            notes.append(f"author “{login}” is not in the export's author list")

        return SourcePost(
            origin=origin,
            title=title,
            body=body,
            slug=slug,
            description=plain_text(fields.get("excerpt:encoded", "")),
            meta_description=(meta.get("_yoast_wpseo_metadesc") or [""])[0],
            canonical_url=(meta.get("_yoast_wpseo_canonical") or [""])[0],
            published_at=published_at,
            draft=draft,
            author=author,
            tags=tags,
            image=self._featured(meta, notes),
            assets=assets,
            old_urls=list(dict.fromkeys(old_urls)),
            notes=notes,
        )

    def _featured(self, meta, notes):
        thumbnail = (meta.get("_thumbnail_id") or [""])[0]
        if not thumbnail:
            return None
        attachment = self._attachments.get(thumbnail)
        if attachment is None:
            notes.append(f"featured image {thumbnail} is not in the export")
            return None
        found = self.upload_file(attachment["url"])
        if found is None:
            notes.append(f"featured image not in the uploads folder: {attachment['url']}")
        return SourceImage(
            path=found, url=attachment["url"], alt=attachment["alt"], caption=attachment["caption"]
        )

    def _body(self, content, post_id, notes):
        context = Context()
        if BLOCK_OPENER.search(content):
            content = self._shortcodes(self._blocks(content, context), post_id, context)
        else:
            content = autop(self._shortcodes(content, post_id, context))
        converted = to_markdown(content, context=context)
        assets = {}
        for image in converted.images:
            found = self.upload_file(image.src)
            if found is not None:
                assets[image.src] = found
            elif urlsplit(image.src).hostname is None or "/wp-content/uploads/" in image.src:
                notes.append(
                    f"image not in the uploads folder, still at its old address: {image.src}"
                )
            else:
                notes.append(f"image from another site, still loaded from there: {image.src}")
        notes.extend(converted.notes)
        return converted.markdown, assets

    def _blocks(self, content, context):
        def embed(match):
            try:
                attrs = json.loads(match["attrs"])
            except ValueError:
                attrs = {}
            url = attrs.get("url") or plain_text(match["inner"])
            if not url:
                context.note(f"an empty {match['name']} block left out")
                return ""
            context.note(f"a {attrs.get('providerNameSlug') or 'embed'} embed turned into a link")
            return "<p>" + context.verbatim(embed_link(url)) + "</p>"

        def dynamic(match):
            name = match["name"]
            if name.removeprefix("core/") in QUIET_BLOCKS:
                if name == "nextpage":
                    context.note("page breaks (<!--nextpage-->) removed: the post is one page")
                return ""
            context.note(f"the dynamic block “{name}” has no text of its own: kept visible as text")
            return "<p>" + context.verbatim(fenced(match[0].strip(), "html")) + "</p>"

        content = EMBED_BLOCK.sub(embed, content)
        content = SELF_CLOSING_BLOCK.sub(dynamic, content)
        for name in sorted({m["name"] for m in BLOCK_OPENER.finditer(content) if "/" in m["name"]}):
            if not name.startswith(("core/", "core-embed/")):
                context.note(f"blocks of the plugin “{name}” converted from their HTML")
        return content

    def _shortcodes(self, content, post_id, context):
        def replace(match):
            name, attrs_text, inner = match["name"], match["attrs"] or "", match["content"]
            known = name.lower() in KNOWN_SHORTCODES
            if not known and inner is None and "=" not in attrs_text:
                return match[0]  # prose in brackets, not a shortcode
            attrs = shortcode_attributes(attrs_text.lstrip("="))
            handler = getattr(self, f"_shortcode_{name.lower().replace('-', '_')}", None)
            if handler is not None:
                result = handler(attrs, inner or "", post_id, context)
                if result is not None:
                    return result
            context.note(f"shortcode [{name}] kept as text: nothing here does what it did")
            return context.verbatim(fenced(match[0], "text"))

        return SHORTCODE.sub(replace, content)

    def _shortcode_caption(self, attrs, inner, post_id, context):
        m = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", inner, re.S)
        if m is None:
            return None
        caption = attrs.get("caption") or m[2].strip()
        return f"<figure>{m[1]}<figcaption>{caption}</figcaption></figure>"

    _shortcode_wp_caption = _shortcode_caption

    def _shortcode_embed(self, attrs, inner, post_id, context):
        url = (inner or attrs.get("src") or attrs.get(0, "")).strip()
        if not url:
            return None
        context.note(f"an [embed] of {url} turned into a link")
        return context.verbatim(embed_link(url))

    def _shortcode_youtube(self, attrs, inner, post_id, context):
        value = (inner or attrs.get(0) or attrs.get("id") or "").strip()
        if not value:
            return None
        url = value if "/" in value else f"https://www.youtube.com/watch?v={value}"
        url = url.split("&w=")[0]
        context.note("a [youtube] video turned into a link")
        return context.verbatim(embed_link(url))

    def _shortcode_vimeo(self, attrs, inner, post_id, context):
        value = (inner or attrs.get(0) or attrs.get("id") or "").strip()
        if not value:
            return None
        url = value if "/" in value else f"https://vimeo.com/{value}"
        context.note("a [vimeo] video turned into a link")
        return context.verbatim(embed_link(url))

    def _shortcode_gallery(self, attrs, inner, post_id, context):
        ids = [
            i.strip() for i in attrs.get("ids", attrs.get("include", "")).split(",") if i.strip()
        ]
        if not ids:
            ids = [aid for aid, a in self._attachments.items() if a["parent"] == post_id]
        images = []
        for attachment_id in ids:
            attachment = self._attachments.get(attachment_id)
            if attachment is None:
                context.note(f"gallery image {attachment_id} is not in the export")
                continue
            title = html.escape(attachment["caption"], quote=True)
            images.append(
                f'<p><img src="{html.escape(attachment["url"], quote=True)}" '
                f'alt="{html.escape(attachment["alt"], quote=True)}"'
                + (f' title="{title}"' if title else "")
                + " /></p>"
            )
        context.note("a [gallery] turned into one image after another")
        return "\n\n" + "\n\n".join(images) + "\n\n"

    def _shortcode_code(self, attrs, inner, post_id, context):
        language = attrs.get("lang") or attrs.get("language") or attrs.get(0) or ""
        return context.verbatim(fenced(html.unescape(inner), re.sub(r"[^\w+#-]", "", language)))

    _shortcode_sourcecode = _shortcode_code

    def _media(self, kind, attrs, context):
        src = attrs.get("src") or next(
            (
                attrs[k]
                for k in ("mp4", "m4v", "webm", "ogv", "mp3", "ogg", "m4a", "wav")
                if attrs.get(k)
            ),
            "",
        )
        if not src:
            return None
        context.note(
            f"an [{kind.lower()}] turned into a link to {src}: the site does not play media itself"
        )
        name = src.rstrip("/").rsplit("/", 1)[-1]
        return context.verbatim(f"[{kind}: {name}]({src})")

    def _shortcode_audio(self, attrs, inner, post_id, context):
        return self._media("Audio", attrs, context)

    def _shortcode_video(self, attrs, inner, post_id, context):
        return self._media("Video", attrs, context)
