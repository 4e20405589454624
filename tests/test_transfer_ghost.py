"""The Ghost reader: a Ghost 5 export (lexical, mobiledoc and HTML posts, a page, a draft,
a scheduled post, internal tags, two authors) becomes the records the pipeline writes.

The fixture follows the layout of Settings → Labs → Export ({"db": [{"meta", "data"}]},
posts_meta, posts_tags, posts_authors); the images folder is made here, as an author would
copy a self-hosted site's content/images.
"""

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from transfer.dates import iso_datetime
from transfer.ghost import GhostReader
from transfer.sources import Report

FIXTURE = Path(__file__).parent / "fixtures" / "ghost" / "alex-navarro.ghost.2026-12-01.json"


@pytest.fixture
def export(tmp_path):
    path = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, path)
    for name in ("2023/01/cover.jpg", "2023/01/chart.png", "2023/02/desk.jpg"):
        file = tmp_path / "content" / "images" / name
        file.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (8, 6), "green").save(file)
    return path


def read(path, **options):
    report = Report()
    posts = {post.slug: post for post in GhostReader(**options).read(path, report)}
    return posts, report


def test_detects_a_ghost_export(export, tmp_path):
    assert GhostReader().detect(export)
    other = tmp_path / "data.json"
    other.write_text('{"posts": []}')
    assert not GhostReader().detect(other)


def test_every_post_is_read_with_zero_refusals(export):
    posts, report = read(export)
    assert report.problems == {}
    assert list(posts) == [
        "markdown-card", "rich-post", "old-mobiledoc", "unfinished", "next-week", "about",
    ]  # fmt: skip


def test_markdown_cards_keep_their_markdown(export):
    posts, _ = read(export)
    assert posts["markdown-card"].body == (
        "Written in a **Markdown card**.\n\n"
        '![A chart](/content/images/2023/01/chart.png "Hiring funnel")\n\n'
        "```python\nprint('hi')\n```\n"
    )
    assert posts["old-mobiledoc"].body == (
        "An older post, in a mobiledoc Markdown card.\n\n- one\n  - nested\n"
    )


def test_other_bodies_come_from_the_html_with_their_cards(export):
    post = read(export)[0]["rich-post"]
    body = post.body
    assert "Rich text with a [link to another post](/markdown-card/)." in body
    assert '![A desk](/content/images/size/w1000/2023/02/desk.jpg "My desk")' in body
    assert "[Watch “A talk” on YouTube](https://www.youtube-nocookie.com/embed/xyz987)" in body
    assert "[An article worth reading](https://example.org/article)" in body
    assert "[Audio: episode.mp3](/content/media/2023/02/episode.mp3)" in body
    assert "<form" not in body and "__GHOST_URL__" not in body
    assert any("form left out" in note for note in post.notes)
    assert any("<audio>" in note for note in post.notes)


def test_images_are_files_resized_copies_mapped_to_the_original(export, tmp_path):
    posts, _ = read(export)
    images = (tmp_path / "content" / "images").resolve()
    assert posts["markdown-card"].assets == {
        "/content/images/2023/01/chart.png": images / "2023/01/chart.png"
    }
    assert posts["rich-post"].assets == {
        "/content/images/size/w1000/2023/02/desk.jpg": images / "2023/02/desk.jpg"
    }
    image = posts["markdown-card"].image
    assert image.path == images / "2023/01/cover.jpg"
    assert image.alt == "A cover"
    assert image.caption == "Photo by Unsplash"


def test_images_folder_given_or_missing(export, tmp_path):
    moved = tmp_path / "backup-images"
    shutil.move(tmp_path / "content" / "images", moved)
    posts, _ = read(export)
    assert posts["markdown-card"].image.path is None
    assert posts["markdown-card"].image.url == "/content/images/2023/01/cover.jpg"
    assert any("feature image not in the images folder" in n for n in posts["markdown-card"].notes)
    posts, _ = read(export, images=moved)
    assert posts["markdown-card"].image.path == (moved / "2023/01/cover.jpg").resolve()


def test_metadata_dates_and_statuses(export):
    posts, _ = read(export)
    first = posts["markdown-card"]
    assert first.title == "Markdown card"
    assert first.published_at.isoformat() == "2023-01-10T12:00:00+00:00"
    assert first.description == "The lede."
    assert first.meta_description == "Search text."
    assert first.canonical_url == "https://elsewhere.example.com/original"
    assert not first.draft and first.old_urls == ["/markdown-card/"]
    assert posts["unfinished"].draft and posts["unfinished"].published_at is None
    assert posts["unfinished"].old_urls == []
    scheduled = posts["next-week"]
    assert not scheduled.draft and scheduled.published_at.isoformat() == "2027-01-01T09:00:00+00:00"
    assert scheduled.old_urls == []
    page = posts["about"]
    assert page.draft and any("Ghost page" in n for n in page.notes)
    paid = posts["rich-post"]
    assert any("for paid only" in n for n in paid.notes)
    assert any("code injection" in n for n in paid.notes)


def test_tags_in_order_without_internal_tags(export):
    posts, report = read(export)
    assert posts["markdown-card"].tags == ["Hiring", "AI engineering"]
    assert any("#newsletter" in n for n in posts["markdown-card"].notes)
    assert report.counts["internal tags left out"] == 1


def test_primary_author_and_co_authors_noted(export):
    posts, _ = read(export)
    alex = posts["markdown-card"].author
    assert (alex.name, alex.email, alex.slug, alex.website) == (
        "Alex Navarro", "alex@example.com", "alex", "https://alex.example.com",
    )  # fmt: skip
    assert posts["rich-post"].author.name == "Sam O'Neil"
    assert any("co-authors" in n and "Alex Navarro" in n for n in posts["rich-post"].notes)
    assert posts["next-week"].author is None  # the default author given to the command


def test_not_a_ghost_export_is_a_problem(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"db": [{"meta": {}, "data": {}}]}))
    report = Report()
    assert list(GhostReader().read(path, report)) == []
    assert "not a Ghost export" in report.problems[str(path)][0]
    path.write_text("{broken")
    report = Report()
    assert list(GhostReader().read(path, report)) == []
    assert "not a JSON file" in report.problems[str(path)][0]


def test_dates():
    assert iso_datetime("2023-01-10T12:00:00.000Z").isoformat() == "2023-01-10T12:00:00+00:00"
    assert iso_datetime(1388805572000).year == 2014
    assert iso_datetime(None) is None


def test_a_damaged_export_is_reported_not_a_crash(tmp_path):
    path = tmp_path / "damaged.json"
    posts = [{"id": "a", "slug": "fine", "title": "Fine", "html": "<p>ok</p>"}, "junk",
             {"id": "b", "slug": "odd", "title": ["not", "a", "string"], "html": 42}]  # fmt: skip
    path.write_text(json.dumps({"db": [{"meta": {}, "data": {"posts": posts, "tags": [{}]}}]}))
    report = Report()
    assert list(GhostReader().read(path, report)) == []
    assert "a table row lacks" in report.problems[str(path)][0]
    path.write_text(json.dumps({"db": [{"meta": {}, "data": {"posts": posts}}]}))
    report = Report()
    assert [p.slug for p in GhostReader().read(path, report)] == ["fine"]
    assert len(report.problems) == 2
