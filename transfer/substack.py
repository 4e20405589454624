"""Substack: the export of Settings → Exports ("Create new export"), a .zip (or the folder it
unpacks to) with ``posts.csv`` and each post's body in ``posts/<post_id>.html``.

``posts.csv`` has one row a post: ``post_id`` (``<number>.<slug>``), ``post_date`` (UTC),
``is_published``, ``email_sent_at``, ``inbox_sent_at``, ``type`` (newsletter, podcast,
thread), ``audience`` (everyone, only_free, only_paid, founding), ``title``, ``subtitle``,
``podcast_url``.

What becomes what: the subtitle is the description, ``/p/<slug>`` the old address,
unpublished posts are drafts, discussion threads are skipped. Paid-only posts and podcast
episodes are noted (the episode also gets a link at the top of the body: the site plays no
audio). The export has no image files: images stay on Substack's servers and are noted, so
the author can upload them. Substack's footnotes become Markdown footnotes; its embeds
(YouTube, tweets) links; its subscribe widgets are left out and noted.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from .dates import iso_datetime
from .markup import ConversionError, data_attrs, embed_link, plain_text, to_markdown
from .sources import Report, SourcePost
from .unpacking import UnsafeArchive, open_export

COLUMNS = {"post_id", "post_date", "is_published", "title"}


def original_image(url):
    """Substack's resizing address, ``https://substackcdn.com/image/fetch/w_1456,.../https%3A%2F%2F...``,
    as the address of the image it resizes."""
    m = re.match(r"https?://substackcdn\.com/image/fetch/[^/]*/(https?%3A%2F%2F.+)$", url or "")
    return unquote(m[1]) if m else url


def _prepare(soup, context):
    for wrap in soup.select("div.youtube-wrap, div.vimeo-wrap"):
        attrs = data_attrs(wrap)
        if video := attrs.get("videoId"):
            youtube = "youtube-wrap" in wrap["class"]
            url = (
                f"https://www.youtube.com/watch?v={video}"
                if youtube
                else f"https://vimeo.com/{video}"
            )
            wrap.replace_with(context.verbatim(embed_link(url)))
            context.note(f"a {'YouTube' if youtube else 'Vimeo'} video turned into a link")
    for tweet in soup.select("div.tweet"):
        if url := data_attrs(tweet).get("url"):
            tweet.replace_with(context.verbatim(embed_link(url)))
            context.note("an embedded tweet turned into a link")
    for widget in soup.select(".subscription-widget-wrap, .subscription-widget, .subscribe-widget"):
        if widget.decomposed:
            continue
        widget.decompose()
        context.note("a subscribe widget left out")
    for paywall in soup.select(".paywall-jump"):
        paywall.decompose()
        context.note("the paywall marker left out: what followed it was for paying subscribers")
    # Footnotes: <a class="footnote-anchor" href="#footnote-1">1</a> in the text and
    # <div class="footnote"><a class="footnote-number">1</a><div class="footnote-content">.
    for anchor in soup.select("a.footnote-anchor"):
        anchor.replace_with(context.verbatim(f"[^{plain_text(str(anchor))}]", block=False))
    notes = []
    for footnote in soup.select("div.footnote"):
        number = footnote.select_one(".footnote-number")
        content = footnote.select_one(".footnote-content")
        if number is None or content is None:
            continue
        text = to_markdown(str(content)).markdown.strip().replace("\n", "\n    ")
        notes.append(f"[^{plain_text(str(number))}]: {text}")
        footnote.decompose()
    if notes:
        soup.append(soup.new_string(context.verbatim("\n\n".join(notes))))


class SubstackReader:
    """Reads a Substack export: its .zip or the folder it unpacks to."""

    name = "Substack"

    def detect(self, path):
        path = Path(path)
        if path.is_dir():
            return (path / "posts.csv").is_file()
        if path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return any(Path(n).name == "posts.csv" for n in archive.namelist())
        return False

    def read(self, path, report: Report) -> Iterator[SourcePost]:
        path = Path(path)
        report.source = self.name
        export = open_export(path, report)
        if export is None:
            return
        with export:
            index = export.find("posts.csv")
            if index is None:
                report.problem(str(path), "no posts.csv: not a Substack export")
                return
            base = index.rpartition("/")[0]
            rows = list(csv.DictReader(io.StringIO(export.read_text(index))))
            if rows and not set(rows[0]) >= COLUMNS:
                report.problem(
                    f"{path}/{index}",
                    "posts.csv lacks the columns " + ", ".join(sorted(COLUMNS - set(rows[0]))),
                )
                return
            for row in rows:
                post = self._post(path, export, base, row, report)
                if post is not None:
                    yield post

    def _post(self, path, export, base, row, report):
        post_id = (row.get("post_id") or "").strip()
        number, _, slug = post_id.partition(".")
        origin = f"{path} (post {post_id})"
        kind = (row.get("type") or "newsletter").strip()
        if kind == "thread":
            report.skip(origin, "a discussion thread, not a post")
            return None
        body_name = "/".join(filter(None, [base, "posts", f"{post_id}.html"]))
        try:
            html = export.read_text(body_name)
        except KeyError:
            report.problem(origin, f"its body, {body_name}, is not in the export")
            return None
        except UnsafeArchive as error:
            report.problem(origin, f"refused: {error}")
            return None
        notes = []
        try:
            converted = to_markdown(html, prepare=_prepare, rewrite_url=original_image)
        except ConversionError as error:
            report.problem(origin, str(error))
            return None
        body = converted.markdown
        notes.extend(converted.notes)
        if converted.images:
            notes.append(
                f"{len(converted.images)} image(s) still loaded from Substack (the export has no "
                "image files): upload them to keep them"
            )
        if podcast := (row.get("podcast_url") or "").strip():
            body = f"[Listen to the episode]({podcast})\n\n" + body
            notes.append(f"a podcast episode: linked at the top, the audio stays at {podcast}")
        audience = (row.get("audience") or "everyone").strip()
        if audience not in {"everyone", ""}:
            notes.append(
                f"for {audience.replace('_', ' ')} subscribers in Substack: this site has no "
                "subscriptions, so it is public once published"
            )
        published = (row.get("is_published") or "").strip().lower() == "true"
        title = (row.get("title") or "").strip()
        if not title:
            title = slug.replace("-", " ").capitalize() or f"Untitled {number}"
            notes.append("untitled in Substack: the title is made from the address")
        when = iso_datetime(row.get("post_date") or row.get("email_sent_at"))
        return SourcePost(
            origin=origin,
            title=title,
            body=body,
            slug=slug,
            description=(row.get("subtitle") or "").strip(),
            published_at=when if published else None,
            draft=not published,
            old_urls=[f"/p/{slug}"] if published and slug else [],
            notes=notes,
        )
