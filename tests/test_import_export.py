"""Markdown import/export: the demo content, bad files, images, and lossless round trips."""

import contextlib
import datetime
import io
import shutil

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from blog.models import Author, AuthorLink, FAQItem, KeepReading, Post, Tag
from core.markdown.reading_time import measure
from tests.conftest import image_bytes, link_keep_reading

pytestmark = pytest.mark.django_db

DEMO = settings.BASE_DIR / "demo" / "content"
DEMO_POST_SLUGS = {
    "ml-job-descriptions",
    "build-vs-buy-llm-platform",
    "hiring-ai-engineers",
    "blameless-postmortems-for-model-incidents",
    "first-90-days-head-of-ai",
    "where-the-ai-team-should-sit",
    "llm-eval-harness-before-launch",
}


# --- running the commands ---------------------------------------------------------------


def run_import(*paths):
    """Import that must succeed; returns (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_markdown", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing_import(*paths):
    """Import that must fail; returns (the counts line from CommandError, stderr)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_markdown", *map(str, paths), stdout=io.StringIO(), stderr=err)
    return str(excinfo.value), err.getvalue()


def run_export(directory):
    call_command("export_markdown", str(directory), stdout=io.StringIO())
    return directory


# --- writing source files ---------------------------------------------------------------


def write_file(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def markdown_file(meta, body):
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n\n{body}\n"


def write_post(path, body="Some words worth reading.", **meta):
    meta.setdefault("author", "alex-navarro")
    return write_file(path, markdown_file(meta, body))


def write_author(path, bio="Writes things.", **meta):
    return write_file(path, markdown_file(meta, bio))


# --- reading the database back ----------------------------------------------------------


def keep_reading_slugs(post):
    return [link.target.slug for link in post.keep_reading_links.all()]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Author, AuthorLink, Post, Tag, FAQItem, KeepReading)
    }


def media_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def post_state(post):
    image = None
    if post.featured_image:
        with post.featured_image.open("rb") as handle:
            image = handle.read()
    return {
        "title": post.title,
        "description": post.description,
        "body": post.body,
        "status": post.status,
        "published_at": post.published_at,
        "author": post.author.slug,
        "tags": sorted(tag.name for tag in post.tags.all()),
        "faq": [(item.question, item.answer, item.position) for item in post.faq_items.all()],
        "keep_reading": keep_reading_slugs(post),
        "image": image,
        "image_alt": post.featured_image_alt,
    }


def site_state():
    """Everything the Markdown format is meant to carry, keyed by slug."""
    posts = {post.slug: post_state(post) for post in Post.objects.select_related("author")}
    authors = {
        author.slug: {
            "name": author.name,
            "role": author.role,
            "website": author.website,
            "links": [(link.label, link.url) for link in author.links.all()],
            "bio": author.bio,
        }
        for author in Author.objects.all()
    }
    return {"posts": posts, "authors": authors}


def empty_site(media_root):
    Post.objects.all().delete()  # cascades to FAQ items and keep-reading links
    Author.objects.all().delete()
    Tag.objects.all().delete()
    # Imported images must come from the export folder, not from leftovers in media.
    shutil.rmtree(media_root, ignore_errors=True)
    assert not any(counts().values())


def tree_bytes(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- the demo content -------------------------------------------------------------------


def test_demo_import_creates_authors_posts_and_their_relations(db):
    out, err = run_import(DEMO)

    assert "9 created, 0 updated, 0 failed" in out and err == ""
    assert set(Author.objects.values_list("slug", flat=True)) == {"alex-navarro", "sam-okafor"}
    assert set(Post.objects.values_list("slug", flat=True)) == DEMO_POST_SLUGS
    assert list(Post.objects.filter(status=Post.Status.DRAFT).values_list("slug", flat=True)) == [
        "where-the-ai-team-should-sit"
    ]

    post = Post.objects.get(slug="hiring-ai-engineers")
    assert post.author.slug == "alex-navarro"
    assert post.published_at == datetime.datetime(2026, 4, 24, 9, 0, tzinfo=datetime.UTC)
    assert sorted(t.name for t in post.tags.all()) == ["AI engineering", "Hiring", "Leadership"]
    assert keep_reading_slugs(post) == [
        "ml-job-descriptions",
        "first-90-days-head-of-ai",
        "llm-eval-harness-before-launch",
    ]
    faq = list(post.faq_items.all())
    assert [item.position for item in faq] == [0, 1, 2, 3]
    assert faq[0].question == "Should I require a PhD for AI engineering roles?"
    assert "<strong>applied scientist</strong>" in faq[0].answer_html
    assert post.body.startswith("Last spring a client of mine")

    alex = Author.objects.get(slug="alex-navarro")
    assert [link.label for link in alex.links.all()] == ["LinkedIn", "GitHub", "Mastodon"]
    assert alex.bio.startswith("I help companies hire") and alex.bio_html.startswith("<p>")


def test_reimporting_the_demo_updates_and_creates_no_duplicates(db):
    run_import(DEMO)
    before = counts()
    Post.objects.filter(slug="hiring-ai-engineers").update(title="Edited in the admin")

    out, _ = run_import(DEMO)

    assert "0 created, 9 updated, 0 failed" in out
    assert counts() == before
    assert Post.objects.get(slug="hiring-ai-engineers").title.startswith("How to hire AI engineers")


def test_reading_time_is_computed_on_import(db):
    run_import(DEMO)

    post = Post.objects.get(slug="hiring-ai-engineers")
    body = measure(post.body_html)
    faq = measure(
        *(
            f"<p>{question}</p>{answer_html}"
            for question, answer_html in post.faq_items.values_list("question", "answer_html")
        )
    )
    # The reading time counts the FAQ too, on purpose: the body alone (its code block
    # and two tables read at half speed) is 13 minutes, body and FAQ together 14. The
    # FAQ is imported after the post row is saved, so this also checks the count was
    # redone once the FAQ existed.
    assert body.minutes == 13
    assert post.word_count == body.word_count + faq.word_count
    assert post.reading_minutes == 14
    assert post.reading_time_breakdown == (body + faq).describe()
    for each in Post.objects.all():
        assert each.reading_minutes >= 1 and each.word_count > 0, each.slug


# --- order inside one import ------------------------------------------------------------


@pytest.mark.parametrize("as_folder", [True, False], ids=["folder", "files-post-first"])
def test_post_may_come_before_its_author_in_the_same_import(db, tmp_path, as_folder):
    # a.md sorts (and is passed) before z.md, so the post is read before its author.
    post = write_post(tmp_path / "a.md", title="Early post", slug="early-post", author="zed")
    author = write_author(tmp_path / "z.md", name="Zed Writer", slug="zed")

    out, _ = run_import(tmp_path) if as_folder else run_import(post, author)

    assert "2 created, 0 updated, 0 failed" in out
    assert Post.objects.get(slug="early-post").author.name == "Zed Writer"


def test_keep_reading_may_name_posts_later_in_the_same_import(author, tmp_path):
    write_post(tmp_path / "a.md", title="A", slug="a-post", keep_reading=["z-post", "m-post"])
    write_post(tmp_path / "m.md", title="M", slug="m-post")
    write_post(tmp_path / "z.md", title="Z", slug="z-post", keep_reading=["a-post"])

    out, _ = run_import(tmp_path)

    assert "3 created, 0 updated, 0 failed" in out
    assert keep_reading_slugs(Post.objects.get(slug="a-post")) == ["z-post", "m-post"]
    assert keep_reading_slugs(Post.objects.get(slug="z-post")) == ["a-post"]


def test_keep_reading_may_name_a_post_whose_slug_comes_from_its_title(author, tmp_path):
    write_post(tmp_path / "a.md", title="A", slug="a-post", keep_reading=["beta-post"])
    write_post(tmp_path / "b.md", title="Beta post")  # no slug: it is "beta-post"

    run_import(tmp_path)

    assert keep_reading_slugs(Post.objects.get(slug="a-post")) == ["beta-post"]


# --- bad files --------------------------------------------------------------------------

# A bad post that, if it were imported, would leave traces everywhere: a post, a tag,
# an FAQ item and a keep-reading link. Each case breaks it in one way.
BAD_POST = {
    "title": "Bad post",
    "slug": "bad-post",
    "author": "alex-navarro",
    "tags": ["Bad tag"],
    "keep_reading": ["good-post"],
    "faq": [{"q": "Bad question?", "a": "Bad answer."}],
}
DROP = object()


def bad_meta(folder, **changes):
    meta = {**BAD_POST, **changes}
    write_post(folder / "bad.md", **{k: v for k, v in meta.items() if v is not DROP})


def bad_bytes(content):
    return lambda folder: write_file(folder / "bad.md", content)


def bad_post(**changes):
    return lambda folder: bad_meta(folder, **changes)


def bad_image(content, **changes):
    def write(folder):
        write_file(folder / "cover.png", content)
        bad_meta(folder, **{"image": "cover.png", "image_alt": "A cover", **changes})

    return write


MALFORMED_YAML = """---
title: Bad post
slug: bad-post
description: this: breaks
author: alex-navarro
---

Body.
"""

# (how to write bad.md, what the message says, the line it names or None)
BAD_FILES = {
    "malformed-yaml": (bad_bytes(MALFORMED_YAML), "invalid YAML", 4),
    "no-front-matter": (bad_bytes("Just a body.\n"), "no front matter", 1),
    "unclosed-front-matter": (bad_bytes("---\ntitle: Bad\n\nBody.\n"), "not closed", 1),
    "missing-title": (bad_post(title=DROP), "'title' is required", None),
    "unknown-author": (bad_post(author="nobody"), "unknown author 'nobody'", None),
    "unknown-keep-reading": (bad_post(keep_reading=["ghost"]), "unknown post(s): ghost", None),
    "unknown-key": (bad_post(colour="red"), "unknown key(s): colour", None),
    "jekyll-keys": (
        bad_post(categories=["x"], excerpt="E", layout="post"),
        "rename categories → tags, excerpt → description; a Jekyll or Hugo site imports with",
        None,
    ),
    "hugo-keys": (bad_post(Title="T"), "rename Title → title", None),
    "bad-slug": (bad_post(slug="Bad Slug"), "'slug' must be lowercase", None),
    "date-not-a-date": (bad_post(date="next tuesday"), "'date' is not a date", None),
    "faq-wrong-keys": (bad_post(faq=[{"question": "Q?", "answer": "A."}]), "'faq' must be", None),
    "faq-not-a-list": (bad_post(faq="Q? A."), "'faq' must be", None),
    "draft-not-bool": (bad_post(draft="maybe"), "'draft' must be true or false", None),
    "binary": (bad_bytes(b"---\ntitle: Bad\n---\n\n\x00\x01\x02"), "not a text file", None),
    "not-utf8": (bad_bytes("---\ntitle: Café\n---\n\nBody.\n".encode("latin-1")), "UTF-8", None),
    "image-missing": (bad_post(image="missing.png", image_alt="A"), "image not found", None),
    "image-not-an-image": (bad_image(b"<html>not a png</html>"), "not a JPEG, PNG", None),
    "image-without-alt": (
        bad_image(image_bytes(), image_alt=DROP),
        "'image_alt' is required",
        None,
    ),
}
BAD_DATE_VALUE = pytest.param(
    bad_bytes(MALFORMED_YAML.replace("description: this: breaks", "date: 2026-13-45")),
    "date",
    None,
    id="date-out-of-range",
)


@pytest.mark.parametrize(
    ("write_bad", "message", "line"),
    [pytest.param(*case, id=name) for name, case in BAD_FILES.items()] + [BAD_DATE_VALUE],
)
def test_bad_file_is_reported_and_changes_nothing(
    author, tmp_path, media_root, write_bad, message, line
):
    folder = tmp_path / "content"
    write_post(
        folder / "good.md",
        title="Good post",
        slug="good-post",
        tags=["Good tag"],
        faq=[{"q": "Good?", "a": "Yes."}],
    )
    write_bad(folder)

    summary, err = run_failing_import(folder)

    assert summary == "1 created, 0 updated, 1 failed"
    where = f"{folder / 'bad.md'}:{line}: " if line else f"{folder / 'bad.md'}: "
    [report] = err.splitlines()
    assert report.startswith(where) and message in report, report
    # Only the good file left anything behind.
    assert list(Post.objects.values_list("slug", flat=True)) == ["good-post"]
    assert list(Tag.objects.values_list("name", flat=True)) == ["Good tag"]
    assert counts() == {
        "Author": 1,
        "AuthorLink": 0,
        "Post": 1,
        "Tag": 1,
        "FAQItem": 1,
        "KeepReading": 0,
    }
    assert media_files(media_root) == []


def test_malformed_yaml_names_the_offending_line_after_block_text(author, tmp_path):
    # A multi-line FAQ answer above the mistake must not throw the line number off.
    lines = [
        "---",
        "title: Bad post",
        "faq:",
        "  - q: Why?",
        "    a: |",
        "      First line.",
        "",
        "      Third line.",
        "description: this: breaks",
        "slug: bad-post",
        "---",
        "",
        "Body.",
    ]
    path = write_file(tmp_path / "bad.md", "\n".join(lines) + "\n")

    _, err = run_failing_import(path)

    assert err.startswith(f"{path}:{lines.index('description: this: breaks') + 1}: invalid YAML")


def good_update_of(path):
    """A first import of a complete post, returning its state to compare with later."""
    write_file(path.parent / "cover.png", image_bytes())
    write_post(
        path,
        title="Original title",
        slug="the-post",
        tags=["Kept tag"],
        keep_reading=["other-post"],
        faq=[{"q": "Kept?", "a": "Yes."}],
        image="cover.png",
        image_alt="Original alt",
    )
    write_post(path.parent / "other.md", title="Other", slug="other-post")
    run_import(path.parent)
    return post_state(Post.objects.get(slug="the-post"))


@pytest.mark.parametrize(
    "breakage",
    [
        {"author": "nobody"},
        {"keep_reading": ["ghost"]},
        {"date": "not a date"},
        {"image": "fake.png"},  # fails after the post row was already updated
    ],
    ids=["unknown-author", "unknown-keep-reading", "bad-date", "not-an-image"],
)
def test_failed_update_leaves_the_existing_post_unchanged(author, tmp_path, breakage):
    path = tmp_path / "the-post.md"
    before = good_update_of(path)
    write_file(tmp_path / "fake.png", b"just text")
    meta = {
        "title": "New title",
        "slug": "the-post",
        "tags": ["New tag"],
        "keep_reading": [],
        "faq": [{"q": "New?", "a": "New."}],
        "image": "cover.png",
        "image_alt": "New alt",
    }
    write_post(path, body="A new body.", **(meta | breakage))

    summary, err = run_failing_import(path)

    assert summary == "0 created, 0 updated, 1 failed" and str(path) in err
    assert post_state(Post.objects.get(slug="the-post")) == before
    assert not Tag.objects.filter(name="New tag").exists()


def test_post_reported_failed_because_its_keep_reading_target_failed_is_unchanged(author, tmp_path):
    path = tmp_path / "the-post.md"
    before = good_update_of(path)
    write_post(
        path,
        title="New title",
        slug="the-post",
        keep_reading=["target"],
        image="cover.png",
        image_alt="Original alt",
    )
    write_post(tmp_path / "target.md", title="Target", slug="target", author="nobody")

    summary, err = run_failing_import(path, tmp_path / "target.md")

    assert str(path) in err  # the-post.md is reported as failed ...
    assert post_state(Post.objects.get(slug="the-post")) == before  # ... so must be unchanged
    assert summary == "0 created, 0 updated, 2 failed"


def test_tag_whose_slug_is_taken_does_not_crash_the_import(author, tmp_path):
    write_post(tmp_path / "a.md", title="A", slug="a-post", tags=["AI engineering"])
    write_post(tmp_path / "b.md", title="B", slug="b-post", tags=["AI-Engineering"])
    write_post(tmp_path / "c.md", title="C", slug="c-post")

    with contextlib.suppress(CommandError):  # reporting b.md as a bad file would be fine too
        run_import(tmp_path)

    assert Post.objects.filter(slug__in=["a-post", "c-post"]).count() == 2


# --- images -----------------------------------------------------------------------------


def write_post_with_image(folder):
    write_file(folder / "images" / "cover.png", image_bytes())
    return write_post(
        folder / "post.md", title="Pic", slug="pic", image="images/cover.png", image_alt="A cover"
    )


def test_image_next_to_the_markdown_is_copied_into_media(author, tmp_path, media_root):
    write_post_with_image(tmp_path / "content")

    run_import(tmp_path / "content")

    post = Post.objects.get(slug="pic")
    stored = media_root / post.featured_image.name
    assert stored.is_file() and stored.read_bytes() == image_bytes()
    assert post.featured_image_alt == "A cover"


def test_reimporting_the_same_image_does_not_store_it_again(author, tmp_path, media_root):
    write_post_with_image(tmp_path / "content")
    run_import(tmp_path / "content")
    first_name, first_files = Post.objects.get().featured_image.name, media_files(media_root)

    run_import(tmp_path / "content")

    assert media_files(media_root) == first_files
    assert Post.objects.get().featured_image.name == first_name


def test_removing_the_image_from_the_file_removes_it_from_the_post(author, tmp_path):
    path = write_post_with_image(tmp_path)
    run_import(path)
    write_post(path, title="Pic", slug="pic")

    run_import(path)

    assert not Post.objects.get(slug="pic").featured_image


# --- export and import round trips ------------------------------------------------------


def add_unicode_post(with_image):
    """A post the demo lacks: unicode everywhere, a multi-line FAQ answer, maybe an image."""
    image = SimpleUploadedFile("cover.png", image_bytes()) if with_image else None
    post = Post.objects.create(
        title="Zoë’s café — naïve",
        slug="zoes-cafe-naive",
        description="Crème brûlée, “quotes” and emoji 🎉",
        body="## Zoë’s café\n\nA naïve façade — *déjà vu*.\n\n- one\n- two",
        status=Post.Status.PUBLISHED,
        published_at=datetime.datetime(2026, 5, 1, 8, 30, 15, tzinfo=datetime.UTC),
        author=Author.objects.get(slug="sam-okafor"),
        featured_image=image or "",
        featured_image_alt="A rust-coloured square" if with_image else "",
    )
    post.tags.set([Tag.objects.create(name="Café culture", slug="cafe-culture")])
    FAQItem.objects.create(post=post, question="Où est Zoë?", answer="Line one.", position=0)
    FAQItem.objects.create(
        post=post,
        question="Multi-line?",
        answer="First paragraph.\n\n- a point\n- another: with a colon\n\n    indented code",
        position=1,
    )
    link_keep_reading(post, Post.objects.filter(slug="hiring-ai-engineers"))
    # An author with only the required fields, so empty optional ones round-trip too.
    Author.objects.create(name="Zoë Brontë", slug="zoe-bronte")


@pytest.fixture
def full_site(db):
    run_import(DEMO)
    add_unicode_post(with_image=True)


def test_export_then_import_into_an_empty_database_is_lossless(full_site, tmp_path, media_root):
    before = site_state()
    assert before["posts"]["zoes-cafe-naive"]["image"] == image_bytes()  # the case is covered
    run_export(tmp_path / "export")
    empty_site(media_root)

    out, _ = run_import(tmp_path / "export")

    assert "11 created, 0 updated, 0 failed" in out
    assert site_state() == before


def export_import_export(tmp_path, media_root):
    first = run_export(tmp_path / "first")
    empty_site(media_root)
    run_import(first)
    return tree_bytes(first), tree_bytes(run_export(tmp_path / "second"))


def test_export_import_export_gives_identical_text_files(db, tmp_path, media_root):
    run_import(DEMO)
    add_unicode_post(with_image=False)

    first, second = export_import_export(tmp_path, media_root)

    assert len(first) == 3 + 8 and first == second


def test_export_import_export_gives_identical_files_with_an_image(full_site, tmp_path, media_root):
    first, second = export_import_export(tmp_path, media_root)

    assert sorted(first) == sorted(second)
    assert first == second


def test_body_starting_with_an_indented_code_block_survives_a_round_trip(
    author, tmp_path, media_root
):
    body = "    $ pip install thing\n\nThen run it."
    write_post(tmp_path / "in" / "code.md", body=body, title="Code", slug="code")
    run_import(tmp_path / "in")
    assert Post.objects.get(slug="code").body == body  # the import keeps it

    run_export(tmp_path / "out")
    empty_site(media_root)
    run_import(tmp_path / "out")

    assert Post.objects.get(slug="code").body == body


def test_a_title_without_latin_letters_gets_a_transliterated_slug(author, tmp_path):
    write_post(tmp_path / "ja.md", title="日本語のタイトル")
    run_import(tmp_path)
    assert Post.objects.get().slug == "ribenyunotaitoru"
