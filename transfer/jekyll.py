"""A Jekyll site folder: ``_posts/`` (and ``_drafts/``) of Markdown files with YAML front matter.

Read as Jekyll's documentation describes (jekyllrb.com/docs/posts, /front-matter,
/permalinks, /includes, /liquid/tags):

- the date and slug come from the file name ``YYYY-MM-DD-title.md``; a ``date`` in the
  front matter wins (with its offset; without one, in ``_config.yml``'s ``timezone``);
- ``categories``/``category`` and ``tags`` (a list, or a space-separated string) are tags;
  ``excerpt``/``description`` the description; ``published: false`` and ``_drafts/`` drafts;
- the address the post had (``permalink`` in the post or in ``_config.yml``, Jekyll's
  default ``/:categories/:year/:month/:day/:title:output_ext`` otherwise) and
  ``redirect_from`` become redirects;
- images under the site's folders (``/assets/...``, ``{{ site.baseurl }}/images/...``,
  relative paths) are uploaded;
- Liquid: ``highlight`` becomes a fenced block, ``raw`` its text, ``post_url``/``link`` a
  ``post:slug`` link, YouTube/Vimeo includes and tags, ``gist`` and ``tweet`` links; any
  other tag stays visible as code and is listed in the report.
"""

import re
from pathlib import Path

from . import assets, embeds, frontmatter
from .frontmatter import SourceError
from .sources import Report, SourceAuthor, SourceImage, SourcePost

EXTENSIONS = {".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".mdown"}
FILE_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")
PERMALINK_STYLES = {  # jekyllrb.com/docs/permalinks/#built-in-formats
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
IGNORED_KEYS = {
    "layout", "comments", "sitemap", "share", "excerpt_separator", "toc_sticky", "toc_label",
    "header", "classes", "read_time", "related", "mathjax", "math", "hidden", "pin",
}  # fmt: skip
KNOWN_KEYS = {
    "title", "date", "categories", "category", "tags", "tag", "excerpt", "description",
    "published", "permalink", "redirect_from", "image", "author", "slug", "toc",
    "last_modified_at", "redirect_to", "canonical_url", "seo",
}  # fmt: skip


class JekyllReader:
    name = "Jekyll"

    def detect(self, path):
        site = site_folder(path)
        return site is not None

    def read(self, path, report: Report):
        site = site_folder(Path(path))
        config = read_config(site, report)
        zone = frontmatter.time_zone(config.get("timezone"))
        style = str(config.get("permalink") or "date")
        permalink = PERMALINK_STYLES.get(style, style)
        baseurl = str(config.get("baseurl") or "").rstrip("/")
        roots = [site]
        found = 0
        report.looked_for = (
            f"Markdown files ({', '.join(sorted(EXTENSIONS))}) in {site / '_posts'} and "
            f"{site / '_drafts'}"
        )
        for folder, draft in [(site / "_posts", False), (site / "_drafts", True)]:
            if not folder.is_dir():
                continue
            for file in sorted(p for p in folder.rglob("*") if p.is_file()):
                if file.suffix.lower() not in EXTENSIONS:
                    if file.suffix.lower() in {".html", ".htm", ".textile"}:
                        report.skip(str(file), f"a {file.suffix} post: only Markdown is read")
                    continue
                found += 1
                try:
                    post = self.read_post(file, draft, zone, permalink, baseurl, config)
                    post.image = self.image(post.image, file, site, baseurl, post)
                except SourceError as error:
                    report.problem(str(file), str(error))
                    continue
                assets.collect(post, file.parent, roots, strip_prefix=baseurl)
                yield post
        if not found:
            report.problem(str(site), f"no posts found: looked for {report.looked_for}")

    def read_post(self, file, draft, zone, permalink, baseurl, config):
        parsed = frontmatter.parse(frontmatter.read_text(file))
        meta = parsed.meta
        notes = []
        stem = file.stem
        named = FILE_NAME.match(stem)
        slug = str(meta.get("slug") or (named[4] if named else stem))
        date = None
        if meta.get("date") not in (None, ""):
            try:
                date = frontmatter.parse_date(meta["date"], zone)
            except ValueError as error:
                raise SourceError(f"'date': {error}") from None
        elif named:
            date = frontmatter.parse_date(
                f"{named[1]}-{int(named[2]):02d}-{int(named[3]):02d}", zone
            )
        elif not draft:
            raise SourceError(
                "the file name has no date: name posts YYYY-MM-DD-title.md, or give a 'date'"
            )
        title = str(meta.get("title") or "").strip() or slug.replace("-", " ").title()
        categories = split_names(meta.get("categories")) + split_names(meta.get("category"))
        tags = split_names(meta.get("tags")) + split_names(meta.get("tag"))
        body, converted = convert_liquid(parsed.body, title)
        notes += converted
        for key in sorted(set(meta) - KNOWN_KEYS - IGNORED_KEYS):
            notes.append(f"front matter '{key}' not imported (no such field here)")
        if meta.get("last_modified_at"):
            notes.append("'last_modified_at' not imported: the site keeps its own updated date")
        if meta.get("redirect_to"):
            notes.append(f"'redirect_to' {meta['redirect_to']} not imported: the post is kept")
        old_urls = []
        if date is not None and not draft:
            pattern = str(meta.get("permalink") or permalink)
            pattern = PERMALINK_STYLES.get(pattern, pattern)
            old_urls.append(baseurl + expand_permalink(pattern, date, slug, categories, title))
        old_urls += [baseurl + u for u in frontmatter.as_list(meta.get("redirect_from"))]
        published = meta.get("published", True)
        post = SourcePost(
            origin=str(file),
            title=title,
            body=body,
            slug=slug,
            description=str(meta.get("description") or meta.get("excerpt") or "").strip(),
            canonical_url=str(meta.get("canonical_url") or ""),
            published_at=date,
            draft=draft or published is False or str(published).lower() == "false",
            author=self.author(meta.get("author"), config),
            tags=categories + tags,
            old_urls=old_urls,
            show_toc=meta.get("toc") if isinstance(meta.get("toc"), bool) else None,
            notes=notes,
        )
        post.image = meta.get("image")  # resolved against the site by read()
        return post

    @staticmethod
    def author(value, config):
        if isinstance(value, dict):
            name, email = str(value.get("name") or ""), str(value.get("email") or "")
            return SourceAuthor(name=name, email=email)
        if isinstance(value, list):
            value = value[0] if value else None
        if not value:
            site_author = config.get("author")
            if isinstance(site_author, dict):
                return SourceAuthor(
                    name=str(site_author.get("name") or ""),
                    email=str(site_author.get("email") or ""),
                ) if site_author.get("name") else None  # fmt: skip
            return SourceAuthor(name=str(site_author)) if site_author else None
        # _data/authors.yml keys are slugs; a name is matched by name
        return SourceAuthor(name=str(value), slug=str(value))

    @staticmethod
    def image(value, file, site, baseurl, post):
        alt = ""
        if isinstance(value, dict):  # jekyll-seo-tag: image: {path: ..., alt: ...}
            alt = str(value.get("alt") or "")
            value = value.get("path") or value.get("feature") or value.get("url")
        if not value:
            return None
        address = strip_site_variables(str(value))
        if assets.is_external(address):
            return SourceImage(url=address, alt=alt)
        found = assets.find_file(address, file.parent, [site], strip_prefix=baseurl)
        return SourceImage(path=found, url=address, alt=alt or post.title)


def site_folder(path):
    """The Jekyll site that ``path`` is (or whose ``_posts`` it is), or None."""
    path = Path(path)
    if not path.is_dir():
        return None
    if path.name in {"_posts", "_drafts"} and path.parent.is_dir():
        path = path.parent
    if (path / "_posts").is_dir() or (
        any((path / name).is_file() for name in ["_config.yml", "_config.yaml"])
        and not (path / "content").is_dir()
    ):
        return path.resolve()
    return None


def read_config(site, report):
    for name in ["_config.yml", "_config.yaml"]:
        config_file = site / name
        if config_file.is_file():
            try:
                parsed = frontmatter.load_yaml(frontmatter.read_text(config_file))
            except SourceError as error:
                report.problem(str(config_file), f"{error}; Jekyll's defaults are used")
                return {}
            return parsed.meta
    return {}


def split_names(value):
    """Jekyll's categories and tags: a list, or a string of space-separated names."""
    if isinstance(value, str):
        return value.split()
    return frontmatter.as_list(value)


def expand_permalink(pattern, date, slug, categories, title):
    """A Jekyll permalink pattern filled in for one post (jekyllrb.com/docs/permalinks/)."""
    values = {
        "year": f"{date.year:04d}",
        "short_year": f"{date.year % 100:02d}",
        "month": f"{date.month:02d}",
        "i_month": str(date.month),
        "short_month": date.strftime("%b"),
        "long_month": date.strftime("%B"),
        "day": f"{date.day:02d}",
        "i_day": str(date.day),
        "y_day": f"{date.timetuple().tm_yday:03d}",
        "week": date.strftime("%V"),
        "short_day": date.strftime("%a"),
        "long_day": date.strftime("%A"),
        "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}",
        "second": f"{date.second:02d}",
        "title": slug,
        "slug": slug,
        "name": slug,
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
        "output_ext": ".html",
    }
    path = re.sub(r":([a-z_]+)", lambda m: values.get(m[1], m[0]), pattern)
    return re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))


# --- Liquid ------------------------------------------------------------------------------

_RAW = re.compile(r"{%-?\s*raw\s*-?%}(.*?){%-?\s*endraw\s*-?%}", re.S)
_HIGHLIGHT = re.compile(
    r"{%-?\s*highlight\s+([\w+#.-]+)[^%]*?-?%}\n?(.*?)\n?{%-?\s*endhighlight\s*-?%}", re.S
)
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,}).*?^\1\2[`~]*[ \t]*$", re.M | re.S)
_SITE_VARIABLE = re.compile(r"{{-?\s*site\.(?:baseurl|url)\s*-?}}")
_URL_FILTER = re.compile(r"""{{-?\s*["']([^"']*)["']\s*\|\s*(?:relative_url|absolute_url)\s*-?}}""")
_TAG = re.compile(r"{%-?\s*(\w+)\s*(.*?)\s*-?%}", re.S)
_OUTPUT = re.compile(r"{{-?\s*(.*?)\s*-?}}", re.S)
_PARAM = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_POST_NAME = re.compile(r"(?:^|/)(?:\d{4}-\d{1,2}-\d{1,2}-)?([^/]+?)(?:\.\w+)?$")


def strip_site_variables(text):
    text = _SITE_VARIABLE.sub("", text)
    return _URL_FILTER.sub(lambda m: m[1], text)


def convert_liquid(body, title=""):
    """The body with its Liquid converted; returns (Markdown, notes for the report)."""
    notes = []
    kept = []  # text that must come out exactly as written: raw blocks

    def keep(text):
        kept.append(text)
        return f"\x00{len(kept) - 1}\x00"

    body = _RAW.sub(lambda m: keep(m[1]), body)

    def highlight(match):
        notes.append(f"converted {{% highlight {match[1]} %}} to a fenced code block")
        return keep(embeds.fenced(match[2], match[1]).strip("\n"))

    body = _HIGHLIGHT.sub(highlight, body)
    # Code already fenced in Markdown shows its text; only site variables are taken out.
    body = _FENCE.sub(lambda m: keep(strip_site_variables(m[0])), body)
    body = strip_site_variables(body)
    body = _TAG.sub(lambda m: keep(_tag(m, notes)), body)
    body = _OUTPUT.sub(lambda m: keep(_output(m, title, notes)), body)
    while "\x00" in body:
        body = re.sub("\x00(\\d+)\x00", lambda m: kept[int(m[1])], body)
    return body, notes


def _params(text):
    return {m[1]: m[2] if m[2] is not None else m[3] if m[3] is not None else m[4]
            for m in _PARAM.finditer(text)}  # fmt: skip


def _tag(match, notes):
    name, args = match[1], match[2].strip()
    written = match[0]
    if name in {"post_url", "link"}:
        target = args.strip("\"' ")
        if name == "post_url" or target.startswith("_posts/"):
            slug = _POST_NAME.search(target)[1]
            notes.append(f"converted {written} to post:{slug}")
            return f"post:{slug}"
        if not target.startswith("_"):
            # A page or file of the site: its address is its path.
            address = "/" + re.sub(r"\.(md|markdown|html)$", "/", target).lstrip("/")
            if re.search(r"\.(png|jpe?g|gif|webp|svg|pdf)$", target, re.I):
                address = "/" + target.lstrip("/")
            notes.append(f"converted {written} to {address}")
            return address
    if name == "include":
        included, _, rest = args.partition(" ")
        params = _params(rest)
        video = params.get("id") or params.get("video_id") or params.get("youtube_id")
        if video and not re.fullmatch(r"[\w-]+", video):
            video = None  # a variable (id=page.video): only Jekyll knew its value
        if "youtube" in included and video:
            notes.append(f"converted {written} to a link to the video")
            return embeds.youtube(video, params.get("title", ""))
        if "vimeo" in included and video:
            notes.append(f"converted {written} to a link to the video")
            return embeds.vimeo(video, params.get("title", ""))
    if name in {"youtube", "vimeo"} and args:
        video = args.split()[0].strip("\"'")
        video = re.sub(r"^.*(?:v=|youtu\.be/|embed/|vimeo\.com/)", "", video).split("&")[0]
        notes.append(f"converted {written} to a link to the video")
        return (embeds.youtube if name == "youtube" else embeds.vimeo)(video)
    if name == "gist" and args:
        parts = args.split()
        user, _, gist_id = parts[0].strip("\"'").rpartition("/")
        notes.append(f"converted {written} to a link to the gist")
        return embeds.gist(user, gist_id, parts[1].strip("\"'") if len(parts) > 1 else "")
    if name in {"tweet", "twitter"} and args:
        address = args.split()[0].strip("\"'")
        if not address.startswith("http"):
            address = f"https://twitter.com/i/status/{address}"
        notes.append(f"converted {written} to a link to the post")
        return embeds.tweet(address)
    return _unconverted(match, notes)


def _output(match, title, notes):
    if match[1] == "page.title":
        notes.append(f"converted {match[0]} to the post's title")
        return title
    return _unconverted(match, notes)


def _unconverted(match, notes):
    written = match[0]
    notes.append(f"Liquid left as written (shown as code): {' '.join(written.split())}")
    text = match.string
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line_end = len(text) if line_end == -1 else line_end
    before, after = text[line_start : match.start()], text[match.end() : line_end]
    if not before.strip() and not after.strip():
        return embeds.unconverted(written).strip("\n")
    ticks = "``" if "`" in written else "`"
    return f"{ticks}{written}{ticks}"
