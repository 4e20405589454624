"""Medium: the archive of Settings → Security and apps → Download your information, a .zip
(or the folder it unpacks to) whose ``posts/`` holds one HTML document a post:
``2019-05-01_Title-1a2b3c4d5e6f.html``, drafts named ``draft_Title-1a2b3c4d5e6f.html``.

Each document is an h-entry: ``<h1 class="p-name">`` the title, ``<section
data-field="subtitle">`` the subtitle (the description), ``<section data-field="body"
class="e-content">`` the body, ``<time class="dt-published" datetime=...>`` the date (UTC),
``<a class="p-author h-card">`` the author, ``<a class="p-canonical">`` the post's address.

The body repeats the title and subtitle as its first heading and paragraph: both are taken
out. Images stay on Medium's servers (the archive has no image files) and are noted. The old
address becomes a redirect only when the post lived on the author's own domain; a
``medium.com`` address is not one this site can answer.
"""

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from .dates import iso_datetime
from .markup import ConversionError, plain_text, to_markdown
from .sources import Report, SourceAuthor, SourcePost
from .unpacking import UnsafeArchive, open_export

MEDIUM_ID = re.compile(r"-[0-9a-f]{10,12}$")
MEDIUM_HOSTS = ("medium.com",)


def _is_post(name):
    path = PurePosixPath(name)
    return path.parent.name == "posts" and path.suffix == ".html"


def _prepare(soup, context):
    # Medium's section dividers are layout, not a break in the text.
    for divider in soup.select("div.section-divider"):
        divider.decompose()
    # Medium's large and small headings are h3 and h4: the site's sections start at ##.
    for heading in soup.select("h3, h4"):
        heading.name = "h2" if heading.name == "h3" else "h3"
    for frame in soup.select("iframe"):
        if "medium.com/media/" in (frame.get("src") or ""):
            context.note(
                "an embed through Medium's media proxy turned into a link: open it to see "
                "what it showed (a gist, a video) and link that instead"
            )


class MediumReader:
    """Reads a Medium archive: its .zip or the folder it unpacks to."""

    name = "Medium"

    def detect(self, path):
        path = Path(path)
        try:
            if path.is_dir():
                names = [p.relative_to(path).as_posix() for p in path.glob("posts*")]
                names += [p.relative_to(path).as_posix() for p in path.glob("posts/*.html")]
            elif path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    names = archive.namelist()
            else:
                return False
        except OSError:
            return False
        return any(_is_post(n) for n in names) and not any(
            PurePosixPath(n).name == "posts.csv" for n in names
        )

    def read(self, path, report: Report) -> Iterator[SourcePost]:
        path = Path(path)
        report.source = self.name
        export = open_export(path, report)
        if export is None:
            return
        with export:
            names = sorted(n for n in export.names() if _is_post(n))
            if not names:
                report.problem(str(path), "no posts/*.html: not a Medium archive")
                return
            for name in names:
                try:
                    html = export.read_text(name)
                except UnsafeArchive as error:
                    report.problem(f"{path}/{name}", f"refused: {error}")
                    continue
                post = self._post(f"{path}/{name}", PurePosixPath(name).name, html, report)
                if post is not None:
                    yield post

    def _post(self, origin, filename, html, report):
        soup = BeautifulSoup(html, "html.parser")
        body = soup.select_one('section[data-field="body"]')
        if body is None:
            report.skip(origin, "no body section: not a Medium post")
            return None
        title_el = soup.select_one("h1.p-name") or soup.find("title")
        title = plain_text(str(title_el)) if title_el else ""
        subtitle_el = soup.select_one('section[data-field="subtitle"]')
        subtitle = plain_text(str(subtitle_el)) if subtitle_el else ""
        # The body starts with the title and subtitle again.
        for cls, text in (("graf--title", title), ("graf--subtitle", subtitle)):
            first = body.select_one(f".{cls}")
            if first is not None and plain_text(str(first)) == text:
                first.decompose()
        notes = []
        try:
            converted = to_markdown(str(body), prepare=_prepare)
        except ConversionError as error:
            report.problem(origin, str(error))
            return None
        notes.extend(converted.notes)
        if converted.images:
            notes.append(
                f"{len(converted.images)} image(s) still loaded from Medium (the archive has no "
                "image files): upload them to keep them"
            )
        draft = filename.startswith("draft_")
        time = soup.select_one("time.dt-published")
        published_at = None if draft or time is None else iso_datetime(time.get("datetime"))
        canonical = soup.select_one("a.p-canonical")
        address = canonical.get("href", "") if canonical else ""
        last = urlsplit(address).path.rstrip("/").rsplit("/", 1)[-1]
        # /@user/title-1a2b3c4d5e6f names the post; /p/1a2b3c4d5e6f (a draft) only its id.
        slug = MEDIUM_ID.sub("", last) if MEDIUM_ID.search(last) else ""
        if not slug:
            stem = filename.removeprefix("draft_").removesuffix(".html")
            slug = MEDIUM_ID.sub("", re.sub(r"^\d{4}-\d{2}-\d{2}_", "", stem)).lower()
        old_urls = []
        host = urlsplit(address).hostname or ""
        if address and not draft:
            if host.endswith(MEDIUM_HOSTS):
                notes.append(
                    f"its Medium address {address} cannot redirect here (medium.com is not your "
                    "domain); link to the new address from Medium instead"
                )
            else:
                path = urlsplit(address).path
                old_urls.append(path)
        author_el = soup.select_one("a.p-author")
        author = SourceAuthor(name=plain_text(str(author_el))) if author_el else None
        return SourcePost(
            origin=origin,
            title=title or slug.replace("-", " ").capitalize(),
            body=converted.markdown,
            slug=slug,
            description=subtitle,
            published_at=published_at,
            draft=draft or published_at is None,
            author=author,
            old_urls=old_urls,
            notes=notes,
        )
