"""HTML → the site's Markdown, for the readers of platforms that store HTML (WordPress,
Ghost, Substack, Medium).

One conversion for all of them, on markdownify (BeautifulSoup underneath), with the steps
every platform needs before it:

- what the site's sanitizer would remove is converted or named, never dropped in silence:
  video frames (YouTube, Vimeo, ...) and ``<video>``/``<audio>`` become links, scripts, forms,
  styles and drawings are left out and listed in ``notes``;
- figures become an image on a line of its own whose title is the caption, which the
  renderer shows as a ``<figcaption>`` (docs/authoring.md, "Captions and credits");
  galleries become one such image after another;
- fenced code keeps its language (``language-x``, ``lang-x``, SyntaxHighlighter's ``brush: x``).

A reader hands in the HTML and, when it has its own elements to deal with first (Ghost's
bookmark cards, Substack's footnotes), a ``prepare`` function that edits the parsed tree.
Markdown that must come out exactly as written (a kept shortcode, a pull quote) goes through
``Context.verbatim``: the tree holds a token, swapped for the Markdown after conversion.
"""

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter

from . import embeds

# Past these a body is refused with a message rather than converted: a post's Markdown may
# have 200,000 characters (core.limits), a few times less than its HTML; real posts nest a
# few dozen elements deep, and the conversion recurses once a level.
MAX_HTML_CHARS = 1_000_000
MAX_DEPTH = 120


class ConversionError(ValueError):
    """A body this conversion refuses, said so the author can act on it."""


@dataclass
class BodyImage:
    """An image the body shows, by the address written in the Markdown."""

    src: str
    alt: str = ""
    caption: str = ""


@dataclass
class Converted:
    markdown: str
    images: list[BodyImage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Context:
    """What a ``prepare`` step may use: keep Markdown verbatim, note what it could not keep."""

    def __init__(self):
        self._verbatim = {}
        self._notes = Counter()

    def verbatim(self, markdown, block=True):
        """A token to put in the tree; the Markdown replaces it after conversion."""
        token = f"XTRANSFERVERBATIM{len(self._verbatim)}X"
        self._verbatim[token] = f"\n\n{markdown.strip()}\n\n" if block else markdown
        return token

    def note(self, message):
        self._notes[message] += 1

    def notes(self):
        return [m if n == 1 else f"{m} (×{n})" for m, n in self._notes.items()]

    def restore(self, markdown):
        # Tokens may nest (a pull quote holding a kept shortcode): replace until none is left.
        for _ in range(3):
            if "XTRANSFERVERBATIM" not in markdown:
                break
            markdown = re.sub(
                r"XTRANSFERVERBATIM\d+X", lambda m: self._verbatim.get(m[0], ""), markdown
            )
        return markdown


def fenced(text, info="text"):
    """A fenced block that survives backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.strip(chr(10))}\n{fence}"


# Elements the sanitizer removes with their content (core.markdown.rendering), and what an
# author is told about each when the reader leaves it out.
LEFT_OUT = {
    "script": "a script left out (this site runs no scripts from posts)",
    "style": "a <style> block left out (the site's stylesheet applies)",
    "form": "a form left out (subscribe or contact forms do not carry over)",
    "textarea": "a form field left out",
    "input": "a form field left out",
    "button": "a button left out",
    "select": "a form field left out",
    "svg": "an inline SVG drawing left out: upload it as an image",
    "canvas": "a <canvas> left out",
    "template": "a <template> left out",
}

VIDEO_HOSTS = {
    "youtube.com": "YouTube",
    "youtube-nocookie.com": "YouTube",
    "youtu.be": "YouTube",
    "vimeo.com": "Vimeo",
    "twitter.com": "X (Twitter)",
    "x.com": "X (Twitter)",
    "open.spotify.com": "Spotify",
    "soundcloud.com": "SoundCloud",
    "instagram.com": "Instagram",
    "gist.github.com": "GitHub Gist",
    "codepen.io": "CodePen",
    "tiktok.com": "TikTok",
}


def _host(url):
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.").removeprefix("m.").removeprefix("player.")


def embed_link(url, title=""):
    """A privacy-friendly stand-in for an embedded player: a plain link, as ``transfer.embeds``
    writes them for Jekyll and Hugo (YouTube's no-cookie player, Vimeo's do-not-track one).

    ``https://www.youtube.com/embed/ID?rel=0``, ``youtu.be/ID`` and ``watch?v=ID`` all give
    the same link; nothing loads from the provider until a reader follows it.
    """
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    host = _host(url)
    provider = next(
        (name for h, name in VIDEO_HOSTS.items() if host == h or host.endswith("." + h)), ""
    )
    path = parts.path.rstrip("/")
    if provider == "YouTube":
        if host == "youtu.be":
            video = path.lstrip("/")
        elif "/embed/" in path or "/shorts/" in path or "/v/" in path:
            video = path.rsplit("/", 1)[-1]
        else:
            video = parse_qs(parts.query).get("v", [""])[0]
        if video:
            return embeds.youtube(video, _link_text(title))
    elif provider == "Vimeo":
        video = path.rsplit("/", 1)[-1]
        if video.isdigit():
            return embeds.vimeo(video, _link_text(title))
    elif provider == "X (Twitter)":
        return embeds.tweet(address=url)
    where = provider or host or "the original site"
    text = f"See on {where}" + (f": {title}" if title else "")
    return f"[{_link_text(text)}]({url})"


def _link_text(text):
    return re.sub(r"\s+", " ", text).replace("[", "(").replace("]", ")").strip()


class _Converter(MarkdownConverter):
    def convert_pre(self, el, text, parent_tags):
        if not text.strip():
            return ""
        language = self.options["code_language_callback"](el) or ""
        return "\n\n" + fenced(text, language) + "\n\n"


def code_language(el):
    """The language a ``<pre>`` names, however the platform wrote it."""
    for node in (el, el.find("code")):
        if not isinstance(node, Tag):
            continue
        for cls in node.get("class") or []:
            for prefix in ("language-", "lang-"):
                if cls.startswith(prefix):
                    return cls[len(prefix) :]
        if lang := node.get("data-language") or node.get("data-lang"):
            return lang
        classes = " ".join(node.get("class") or [])
        if m := re.search(r"brush:\s*([\w+#-]+)", classes):
            return m[1]
    return ""


def _text(el):
    return re.sub(r"\s+", " ", el.get_text(" ")).strip()


def _image_src(img):
    src = img.get("src") or ""
    # Lazy-loading plugins keep the real address aside and a placeholder (often data:) in src.
    for lazy in ("data-src", "data-lazy-src", "data-orig-file", "data-original"):
        if img.get(lazy) and (not src or src.startswith("data:")):
            src = img[lazy]
    return src.strip()


class _Prepared:
    def __init__(self, soup, context, rewrite_url):
        self.soup = soup
        self.context = context
        self.rewrite_url = rewrite_url or (lambda url: url)

    def paragraph_with(self, *children):
        p = self.soup.new_tag("p")
        for child in children:
            p.append(child)
        return p

    def image_tag(self, img, caption=""):
        new = self.soup.new_tag("img")
        new["src"] = self.rewrite_url(_image_src(img))
        new["alt"] = re.sub(r"\s+", " ", img.get("alt") or "").strip()
        caption = caption or (img.get("title") or "")
        if caption:
            new["title"] = re.sub(r"\s+", " ", caption).strip()
        return new


def _media_src(el):
    src = el.get("src") or ""
    if not src and (source := el.find("source")):
        src = source.get("src") or ""
    return src


def _replace_embeds(prep):
    soup, context = prep.soup, prep.context
    for frame in soup.find_all(["iframe", "embed", "object"]):
        if frame.find_parent(["iframe", "object"]) or frame.decomposed:
            continue
        url = frame.get("src") or frame.get("data") or ""
        if not url and (param := frame.find("param", attrs={"name": "movie"})):
            url = param.get("value", "")
        if url:
            frame.replace_with(context.verbatim(embed_link(url, frame.get("title", ""))))
            context.note(f"an embedded <{frame.name}> ({_host(url) or url}) turned into a link")
        else:
            frame.decompose()
            context.note(f"an embedded <{frame.name}> with no address left out")
    for media in soup.find_all(["video", "audio"]):
        src = _media_src(media)
        kind = "Video" if media.name == "video" else "Audio"
        if src:
            src = prep.rewrite_url(src)
            name = src.rstrip("/").rsplit("/", 1)[-1] or src
            media.replace_with(context.verbatim(f"[{kind}: {_link_text(name)}]({src})"))
            context.note(
                f"a <{media.name}> turned into a link to {src}: upload the file or host it, "
                "the site does not play media itself"
            )
        else:
            media.decompose()
            context.note(f"a <{media.name}> with no address left out")
    for tag, message in LEFT_OUT.items():
        for el in soup.find_all(tag):
            if not el.decomposed:
                el.decompose()
                context.note(message)
    for el in soup.find_all("noscript"):
        el.unwrap()  # lazy-loading keeps the real <img> here


GALLERY_CLASSES = {"wp-block-gallery", "gallery", "kg-gallery-card", "tiled-gallery"}


def _replace_galleries(prep):
    soup = prep.soup
    for gallery in soup.find_all(class_=lambda c: c in GALLERY_CLASSES):
        if gallery.decomposed or gallery.find_parent(class_=lambda c: c in GALLERY_CLASSES):
            continue
        paragraphs = []
        for img in gallery.find_all("img"):
            holder = img.find_parent(["figure", "dl", "li"])
            caption = ""
            if holder is not None and holder is not gallery:
                cap = holder.find(["figcaption", "dd"])
                caption = _text(cap) if cap else ""
            paragraphs.append(prep.paragraph_with(prep.image_tag(img, caption)))
        own = gallery.find(
            ["figcaption"], class_=lambda c: c in {"blocks-gallery-caption", "kg-card-caption"}
        )
        if gallery.name == "figure" and own is None:
            own = gallery.find("figcaption", recursive=False)
        if own is not None:
            em = soup.new_tag("em")
            em.string = _text(own)
            paragraphs.append(prep.paragraph_with(em))
        for p in paragraphs:
            gallery.insert_before(p)
        gallery.decompose()
        prep.context.note("a gallery turned into one image after another")


def _replace_figures(prep):
    soup = prep.soup
    for figure in reversed(soup.find_all("figure")):
        if figure.decomposed:
            continue
        caption = figure.find("figcaption")
        images = figure.find_all("img")
        if len(images) == 1 and not figure.find(["table", "blockquote", "pre"]):
            figure.replace_with(
                prep.paragraph_with(prep.image_tag(images[0], _text(caption) if caption else ""))
            )
            continue
        if caption is not None:
            em = soup.new_tag("em")
            em.string = _text(caption)
            caption.replace_with(prep.paragraph_with(em))
        figure.unwrap()


IMAGE_FILE = re.compile(r"\.(jpe?g|png|gif|webp|avif)(\?.*)?$", re.IGNORECASE)


def _unwrap_image_links(prep):
    # "Link to media file": an <a> around an image pointing at a bigger copy of it. The site
    # links nothing from images, and a linked image keeps no caption.
    for a in prep.soup.find_all("a"):
        if a.decomposed:
            continue
        children = [c for c in a.children if not (isinstance(c, NavigableString) and not c.strip())]
        if all(isinstance(c, Tag) and (c.name == "img" or c.find("img")) for c in children) and (
            IMAGE_FILE.search(a.get("href") or "") or "image" in " ".join(a.get("class") or [])
        ):
            a.unwrap()
    for picture in prep.soup.find_all("picture"):
        for source in picture.find_all("source"):
            source.decompose()
        picture.unwrap()


def _pullquotes(prep):
    soup, context = prep.soup, prep.context
    for quote in soup.find_all(class_=["wp-block-pullquote", "pullquote"]):
        if quote.decomposed:
            continue
        for cite in quote.find_all("cite"):
            cite.string = "— " + _text(cite)
        inner = _convert_tree(quote.find("blockquote") or quote, context)
        text = inner.strip()
        if text.startswith(">"):
            text = "\n".join(line.removeprefix(">").removeprefix(" ") for line in text.splitlines())
        lines = [f"> {line}".rstrip() for line in text.splitlines()]
        quote.replace_with(context.verbatim("\n".join([*lines, "> {: .pullquote }"])))


def _convert_tree(node, context):
    converter = _Converter(
        heading_style="ATX",
        bullets="-",
        # Two trailing spaces: the hard line break both Python-Markdown and CommonMark read
        # (a trailing backslash is CommonMark's only).
        newline_style="spaces",
        code_language_callback=code_language,
        escape_misc=False,
    )
    if isinstance(node, BeautifulSoup):
        return converter.convert_soup(node)
    fragment = BeautifulSoup("", "html.parser")
    fragment.append(node.extract() if node.parent else node)
    return converter.convert_soup(fragment)


def to_markdown(
    html: str,
    *,
    prepare: Callable[[BeautifulSoup, Context], None] | None = None,
    rewrite_url: Callable[[str], str] | None = None,
    context: Context | None = None,
) -> Converted:
    """Convert ``html`` to the site's Markdown; images found and everything lost are returned.

    ``rewrite_url`` maps every image, media and link address (Ghost's ``__GHOST_URL__``);
    ``prepare`` edits the tree first, for a platform's own elements.
    """
    if len(html or "") > MAX_HTML_CHARS:
        raise ConversionError(
            f"the body is {len(html):,} characters of HTML, over the {MAX_HTML_CHARS:,} an "
            "import converts: split the post in two on the old site and export again"
        )
    context = context or Context()
    soup = BeautifulSoup(html or "", "html.parser")
    if _depth(soup) > MAX_DEPTH:
        raise ConversionError(
            f"the body nests elements over {MAX_DEPTH} deep, which no editor writes: not converted"
        )
    prep = _Prepared(soup, context, rewrite_url)
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    if prepare is not None:
        prepare(soup, context)
    _replace_embeds(prep)
    _unwrap_image_links(prep)
    _pullquotes(prep)
    _replace_galleries(prep)
    _replace_figures(prep)
    images = []
    for img in soup.find_all("img"):
        src = prep.rewrite_url(_image_src(img))
        if not src or src.startswith("data:"):
            img.decompose()
            context.note("an image written into the page as data (no file) left out")
            continue
        img["src"] = src
        images.append(BodyImage(src, img.get("alt") or "", img.get("title") or ""))
    for a in soup.find_all("a", href=True):
        a["href"] = prep.rewrite_url(a["href"])
    try:
        markdown = context.restore(_convert_tree(soup, context))
    except RecursionError:
        raise ConversionError("the body nests elements too deep to convert") from None
    markdown = re.sub(r"^[ \t]+$", "", markdown, flags=re.M)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
    return Converted(markdown=markdown, images=images, notes=context.notes())


def _depth(soup):
    """How deep the tree goes, counted without recursion (stopping past ``MAX_DEPTH``)."""
    deepest, stack = 0, [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))
    return deepest


def plain_text(html):
    """The text of an HTML fragment (an excerpt, a caption), whitespace collapsed."""
    return _text(BeautifulSoup(html or "", "html.parser"))


def data_attrs(el):
    """Substack's ``data-attrs`` JSON on an embed, or {}."""
    try:
        value = json.loads(el.get("data-attrs") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
