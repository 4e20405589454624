"""This site's own Markdown files (what ``export_markdown`` writes) as a reader of the pipeline.

``manage.py import FOLDER --format site`` reads ``posts/*.md`` (and the ``authors/*.md``
the posts name) into the same records as the other platforms, so the site's own archive
gets the pipeline's report, idempotency and once-per-run work. The keys are those of
docs/import-export.md ("The site's own format"), checked as strictly as
``import_markdown`` checks them: an unknown key is a problem, with the key to use when
another platform's name is recognised (``categories`` → ``tags``).
``import_markdown`` stays the command for authors' roles, links and avatars.
"""

from pathlib import Path

from blog.io.markdown_files import KEY_MAPPINGS, POST_KEYS

from . import assets, frontmatter
from .frontmatter import SourceError
from .sources import Report, SourceAuthor, SourceImage, SourcePost


class SiteFormatReader:
    name = "Site"

    def detect(self, path):
        posts = Path(path) / "posts"
        if not posts.is_dir():
            return False
        first = next(iter(sorted(posts.glob("*.md"))), None)
        if first is None:
            return False
        try:
            meta = frontmatter.parse(frontmatter.read_text(first)).meta
        except SourceError:
            return False
        return bool(meta) and set(meta) <= POST_KEYS

    def read(self, path, report: Report):
        folder = Path(path).resolve()
        authors = self.authors(folder / "authors", report)
        report.looked_for = f"Markdown files (.md) in {folder / 'posts'}"
        files = sorted(p for p in (folder / "posts").glob("*.md") if p.is_file())
        for file in files:
            try:
                yield self.read_post(file, authors)
            except SourceError as error:
                report.problem(str(file), str(error))
        if not files:
            report.problem(str(folder), f"no posts found: looked for {report.looked_for}")

    @staticmethod
    def authors(folder, report):
        found = {}
        for file in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            try:
                parsed = frontmatter.parse(frontmatter.read_text(file))
            except SourceError as error:
                report.problem(str(file), str(error))
                continue
            meta = parsed.meta
            slug = str(meta.get("slug") or file.stem)
            found[slug] = SourceAuthor(
                name=str(meta.get("name") or slug),
                slug=slug,
                bio=parsed.body,
                website=str(meta.get("website") or ""),
            )
            if meta.get("role") or meta.get("links") or meta.get("avatar"):
                report.note(
                    str(file), "role, links and avatar are imported by import_markdown, not here"
                )
        return found

    @staticmethod
    def read_post(file, authors):
        parsed = frontmatter.parse(frontmatter.read_text(file))
        meta = parsed.meta
        problems = []
        unknown = sorted(set(meta) - POST_KEYS)
        for key in unknown:
            hint = KEY_MAPPINGS.get(key.lower()) or (
                key.lower() if key.lower() in POST_KEYS else ""
            )
            problems.append(f"unknown key '{key}'" + (f": use {hint}" if hint else ""))
        date = None
        if meta.get("date") not in (None, ""):
            try:
                date = frontmatter.parse_date(meta["date"])
            except ValueError as error:
                problems.append(f"'date': {error}")
        for key in ["draft", "toc"]:
            if key in meta and not isinstance(meta[key], bool):
                problems.append(f"'{key}' must be true or false")
        faq = meta.get("faq") or []
        if not isinstance(faq, list) or not all(
            isinstance(item, dict) and set(item) == {"q", "a"} for item in faq
        ):
            problems.append("'faq' must be a list of {q: question, a: answer}")
            faq = []
        if problems:
            raise SourceError("; ".join(problems))
        slug = str(meta.get("author") or "")
        post = SourcePost(
            origin=str(file),
            title=str(meta.get("title") or ""),
            body=parsed.body,
            slug=str(meta.get("slug") or ""),
            description=str(meta.get("description") or ""),
            meta_description=str(meta.get("meta_description") or ""),
            canonical_url=str(meta.get("canonical_url") or ""),
            published_at=date,
            draft=meta.get("draft") is True,
            author=authors.get(slug) or (SourceAuthor(name=slug, slug=slug) if slug else None),
            tags=frontmatter.as_list(meta.get("tags")),
            faq=[(str(item["q"]), str(item["a"])) for item in faq],
            keep_reading=frontmatter.as_list(meta.get("keep_reading")),
            show_toc=meta.get("toc") is True,
        )
        if meta.get("image"):
            found = assets.find_file(str(meta["image"]), file.parent, [])
            post.image = SourceImage(
                path=found, url=str(meta["image"]), alt=str(meta.get("image_alt") or "")
            )
        assets.collect(post, file.parent, [])
        return post
