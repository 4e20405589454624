"""A Hugo site (its ``content/`` folder, or a content folder given directly).

Read as Hugo's documentation describes (gohugo.io/content-management/front-matter,
/page-bundles, /shortcodes, /urls):

- front matter in YAML (``---``), TOML (``+++``) or JSON (``{``), keys in any case;
- ``date``/``publishDate`` (with their offset), ``draft``, ``summary``/``description``,
  ``tags`` and ``categories``, ``slug``; ``lastmod`` is noted (the site keeps its own);
- the post's old address, ``url`` or the ``[permalinks]`` of the site's configuration
  or Hugo's default ``/<section>/<slug>/``, plus ``aliases``, become redirects;
- page bundles (``my-post/index.md`` with its images beside it) and images from
  ``static/`` and ``assets/``; ``images``/``image``/``cover`` give the featured image;
- ``_index.md`` (a list page, not a post) is skipped and reported;
- shortcodes: youtube, vimeo, gist, tweet/x, figure, img, highlight, ref/relref are
  converted; any other stays visible as code and is listed in the report.
"""

import json
import re
import shlex
import tomllib
from pathlib import Path

import yaml

from . import assets, embeds, frontmatter
from .frontmatter import SourceError
from .sources import Report, SourceAuthor, SourceImage, SourcePost

EXTENSIONS = {".md", ".markdown"}
CONFIG_FILES = ["hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
                "config.toml", "config.yaml", "config.yml", "config.json"]  # fmt: skip
KNOWN_KEYS = {
    "title", "date", "publishdate", "lastmod", "expirydate", "draft", "summary",
    "description", "tags", "categories", "slug", "url", "aliases", "images", "image", "cover",
    "featured_image", "featuredimage", "author", "authors", "toc", "canonicalurl",
    "layout", "type", "weight", "keywords", "showtoc", "tocopen", "params", "markup",
}  # fmt: skip
IGNORED_KEYS = {"layout", "type", "weight", "keywords", "tocopen", "markup"}


class HugoReader:
    name = "Hugo"

    def detect(self, path):
        return content_folder(Path(path)) is not None

    def read(self, path, report: Report):
        content, site = content_folder(Path(path))
        config = read_config(site, report) if site else {}
        config = frontmatter.lower_keys(config)
        permalinks = config.get("permalinks") or {}
        # Hugo 0.120 on: [permalinks.page] posts = "..."; before: [permalinks] posts = "..."
        page = permalinks.get("page") if isinstance(permalinks.get("page"), dict) else {}
        permalinks = {str(k): v for k, v in {**permalinks, **page}.items() if isinstance(v, str)}
        zone = frontmatter.time_zone(config.get("timezone"))
        roots = [site / "static", site / "assets"] if site else [content.parent / "static"]
        report.looked_for = f"Markdown files ({', '.join(sorted(EXTENSIONS))}) under {content}"
        found = 0
        for file in sorted(p for p in content.rglob("*") if p.is_file()):
            if file.suffix.lower() not in EXTENSIONS:
                continue
            if file.stem == "_index":
                report.skip(str(file), "a section's list page (_index.md), not a post")
                continue
            found += 1
            try:
                post = read_post(file, content, zone, permalinks, bool(config.get("uglyurls")))
            except SourceError as error:
                report.problem(str(file), str(error))
                continue
            bundle = file.parent if file.stem == "index" else None
            assets.collect(post, file.parent, roots)
            post.image = featured_image(post, post._meta, file, bundle, roots)
            del post._meta
            yield post
        if not found:
            report.problem(str(content), f"no posts found: looked for {report.looked_for}")


def content_folder(path):
    """(content folder, site folder or None) for a Hugo site or content folder, else None."""
    if not path.is_dir():
        return None
    if (path / "content").is_dir() and (
        any((path / name).is_file() for name in CONFIG_FILES)
        or (path / "archetypes").is_dir()
        or (path / "themes").is_dir()
    ):
        return path.resolve() / "content", path.resolve()
    if path.name == "content" or any(path.rglob("_index.md")):
        site = path.parent if any((path.parent / n).is_file() for n in CONFIG_FILES) else None
        return path.resolve(), site.resolve() if site else None
    return None


def read_config(site, report):
    for name in CONFIG_FILES:
        config_file = site / name
        if not config_file.is_file():
            continue
        text = frontmatter.read_text(config_file)
        try:
            if name.endswith(".toml"):
                return tomllib.loads(text)
            if name.endswith(".json"):
                return json.loads(text)
            return yaml.safe_load(text) or {}
        except (ValueError, yaml.YAMLError) as error:
            report.problem(str(config_file), f"not read ({error}); Hugo's defaults are used")
            return {}
    return {}


def read_post(file, content, zone, permalinks, ugly=False):
    parsed = frontmatter.parse(frontmatter.read_text(file))
    meta = frontmatter.lower_keys(parsed.meta)
    params = frontmatter.lower_keys(meta.get("params") or {}) if isinstance(
        meta.get("params"), dict) else {}  # fmt: skip
    notes = []
    bundle = file.stem == "index"
    name = file.parent.name if bundle else file.stem
    relative = file.relative_to(content)
    section = relative.parts[0] if len(relative.parts) > 1 else ""
    slug = str(meta.get("slug") or name)
    date = None
    for key in ["publishdate", "date"]:
        if meta.get(key) not in (None, ""):
            try:
                date = frontmatter.parse_date(meta[key], zone)
            except ValueError as error:
                raise SourceError(f"'{key}': {error}") from None
            break
    if meta.get("lastmod"):
        notes.append("'lastmod' not imported: the site keeps its own updated date")
    if meta.get("expirydate"):
        notes.append("'expiryDate' not imported: the post stays published")
    for key in sorted(set(meta) - KNOWN_KEYS):
        notes.append(f"front matter '{key}' not imported (no such field here)")
    title = str(meta.get("title") or "").strip() or name.replace("-", " ").title()
    body, converted = convert_shortcodes(parsed.body, title)
    notes += converted
    old_urls = []
    if meta.get("url"):
        old_urls.append(str(meta["url"]))
    elif date is not None:
        pattern = permalinks.get(section)
        if pattern:
            old_urls.append(expand_permalink(pattern, date, slug, title, section, name))
        else:
            # Hugo's default: the sections and the slug, lowercased (disablePathToLower).
            path = "/".join([*relative.parts[: -2 if bundle else -1], slug]).lower()
            old_urls.append(f"/{path}.html" if ugly else f"/{path}/")
    old_urls += frontmatter.as_list(meta.get("aliases"))
    authors = frontmatter.as_list(meta.get("authors") or meta.get("author") or params.get("author"))
    toc = meta.get("toc", meta.get("showtoc"))
    post = SourcePost(
        origin=str(file),
        title=title,
        body=body,
        slug=slug,
        description=str(meta.get("summary") or meta.get("description") or "").strip(),
        canonical_url=str(meta.get("canonicalurl") or ""),
        published_at=date,
        draft=meta.get("draft") is True or str(meta.get("draft")).lower() == "true",
        author=SourceAuthor(name=authors[0], slug=authors[0]) if authors else None,
        tags=frontmatter.as_list(meta.get("categories")) + frontmatter.as_list(meta.get("tags")),
        old_urls=old_urls,
        show_toc=toc if isinstance(toc, bool) else None,
        notes=notes,
    )
    post._meta = {**params, **meta}
    return post


def featured_image(post, meta, file, bundle, roots):
    value, alt, caption = None, "", ""
    cover = meta.get("cover")
    if isinstance(cover, dict):  # PaperMod and others: cover: {image, alt, caption}
        cover = frontmatter.lower_keys(cover)
        value, alt, caption = cover.get("image"), cover.get("alt", ""), cover.get("caption", "")
    value = value or cover if isinstance(cover, str) else value
    for key in ["image", "featured_image", "featuredimage", "images"]:
        if not value and meta.get(key):
            listed = frontmatter.as_list(meta[key])
            value = listed[0] if listed else None
    if not value:
        return None
    value = str(value)
    if assets.is_external(value):
        return SourceImage(url=value, alt=str(alt))
    found = assets.find_file(value, bundle or file.parent, roots)
    return SourceImage(path=found, url=value, alt=str(alt) or post.title, caption=str(caption))


def expand_permalink(pattern, date, slug, title, section, name):
    """A Hugo ``[permalinks]`` pattern for one page (gohugo.io/content-management/urls/)."""
    values = {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
        "monthname": date.strftime("%B").lower(), "yearday": str(date.timetuple().tm_yday),
        "weekday": str(date.isoweekday() % 7), "weekdayname": date.strftime("%A").lower(),
        "section": section, "sections": section, "slug": slug, "slugorfilename": slug,
        "slugorcontentbasename": slug, "title": re.sub(r"[^\w]+", "-", title.lower()).strip("-"),
        "filename": name, "contentbasename": name,
    }  # fmt: skip
    path = re.sub(r":(\w+)", lambda m: values.get(m[1].lower(), m[0]), pattern)
    return re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))


# --- shortcodes --------------------------------------------------------------------------

_ESCAPED = re.compile(r"{{([<%])/\*(.*?)\*/([>%])}}", re.S)
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,}).*?^\1\2[`~]*[ \t]*$", re.M | re.S)
_SHORTCODE = re.compile(r"{{([<%])\s*(/?)\s*([\w/.-]+)(.*?)\s*[>%]}}", re.S)
_REF_TARGET = re.compile(r"(?:^|/)([^/#]+?)(?:/index|/_index)?(?:\.\w+)?/?(#.*)?$")


def _arguments(text):
    """A shortcode's arguments: (positional list, named dict), quoted as Hugo quotes them."""
    text = text.replace("`", '"')
    try:
        tokens = shlex.split(text)
    except ValueError:
        tokens = text.split()
    positional, named = [], {}
    for token in tokens:
        key, equals, value = token.partition("=")
        if equals and re.fullmatch(r"[A-Za-z_][\w-]*", key):
            named[key.lower()] = value
        else:
            positional.append(token)
    return positional, named


def convert_shortcodes(body, title=""):
    """The body with its shortcodes converted; returns (Markdown, notes for the report)."""
    notes = []
    kept = []

    def keep(text):
        kept.append(text)
        return f"\x00{len(kept) - 1}\x00"

    # Code shows its text: a shortcode written inside a fence is left alone, and Hugo's
    # escaped form {{</* x */>}} is shown as {{< x >}}.
    body = _FENCE.sub(lambda m: keep(_ESCAPED.sub(r"{{\1\2\3}}", m[0])), body)
    body = _ESCAPED.sub(lambda m: keep(f"`{{{{{m[1]}{m[2]}{m[3]}}}}}`"), body)
    out, position = [], 0
    for match in _SHORTCODE.finditer(body):
        if match.start() < position:
            continue
        out.append(body[position : match.start()])
        position = match.end()
        closing, name, args = match[2], match[3].lower(), match[4]
        if closing:
            out.append(keep(_unconverted(match[0], body, match.start(), match.end(), notes)))
            continue
        inner, end = _inner(body, name, match.end())
        positional, named = _arguments(args)
        converted = _convert(name, positional, named, inner)
        if converted is None:
            whole = body[match.start() : end] if inner is not None else match[0]
            out.append(keep(_unconverted(whole, body, match.start(), end or match.end(), notes)))
        else:
            notes.append(f"converted {' '.join(match[0].split())} ({name})")
            out.append(keep(converted))
        if inner is not None:
            position = end
    out.append(body[position:])
    body = "".join(out)
    while "\x00" in body:
        body = re.sub("\x00(\\d+)\x00", lambda m: kept[int(m[1])], body)
    return body, notes


def _inner(body, name, start):
    """(the text up to the matching closing shortcode, where it ends) or (None, None)."""
    closing = re.compile(r"{{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]}}", re.I)
    found = closing.search(body, start)
    if found is None or name in {"youtube", "vimeo", "gist", "tweet", "x", "ref", "relref"}:
        return None, None
    return body[start : found.start()], found.end()


def _convert(name, positional, named, inner):
    first = positional[0] if positional else ""
    if name == "youtube":
        video = named.get("id") or first
        return embeds.youtube(video, named.get("title", "")) if video else None
    if name == "vimeo":
        video = named.get("id") or first
        return embeds.vimeo(video, named.get("title", "")) if video else None
    if name == "gist":
        user = named.get("user") or first
        gist_id = named.get("id") or (positional[1] if len(positional) > 1 else "")
        file = named.get("file") or (positional[2] if len(positional) > 2 else "")
        return embeds.gist(user, gist_id, file) if gist_id else None
    if name in {"tweet", "x", "twitter"}:
        user, tweet_id = named.get("user", ""), named.get("id") or (
            positional[-1] if positional else "")  # fmt: skip
        return embeds.tweet(user=user, tweet_id=tweet_id) if tweet_id else None
    if name in {"figure", "img", "image"}:
        src = named.get("src") or first
        if not src:
            return None
        caption = named.get("caption") or named.get("title") or ""
        credit = named.get("attr", "")
        alt = named.get("alt") or caption or ""
        words = caption + (f" | {credit}" if credit else "")
        title_part = ' "' + words.replace('"', "'") + '"' if words else ""
        image = f"![{alt}]({src}{title_part})"
        link = named.get("link")
        return f"\n[{image}]({link})\n" if link else f"\n{image}\n"
    if name == "highlight" and inner is not None:
        return embeds.fenced(inner, first)
    if name in {"ref", "relref"} and first:
        target = _REF_TARGET.search(first)
        if target is None:
            return None
        return f"post:{target[1]}" + (target[2] or "")
    return None


def _unconverted(written, body, start, end, notes):
    notes.append(f"shortcode left as written (shown as code): {' '.join(written.split()[:6])}")
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    line_end = len(body) if line_end == -1 else line_end
    if not body[line_start:start].strip() and not body[end:line_end].strip() or "\n" in written:
        return embeds.unconverted(written).strip("\n")
    return f"`{written}`"
