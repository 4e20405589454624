"""The WordPress reader: a WXR export (Gutenberg and classic posts, a page, attachments,
comments, categories and tags, two authors) becomes the records the pipeline writes.

The fixture follows the WXR 1.2 layout WordPress writes from Tools → Export; the uploads
folder is made here, with real images, as an author would download wp-content/uploads.
"""

import datetime
import re
import shutil
import threading
from pathlib import Path

import pytest
from PIL import Image

from transfer.sources import Report
from transfer.wordpress import WordPressReader, autop, wordpress_date

FIXTURE = Path(__file__).parent / "fixtures" / "wordpress" / "site.WordPress.2026-12-01.xml"


@pytest.fixture
def export(tmp_path):
    xml = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, xml)
    month = tmp_path / "uploads" / "2024" / "05"
    month.mkdir(parents=True)
    Image.new("RGB", (8, 6), "red").save(month / "whiteboard.jpg")
    Image.new("RGB", (8, 6), "blue").save(month / "team.png")
    return xml


def read(path, **options):
    report = Report()
    posts = {
        re.search(r"\((?:post|page) (\d+)", post.origin)[1]: post
        for post in WordPressReader(**options).read(path, report)
    }
    return posts, report


def test_detects_a_wxr_file_and_nothing_else(export, tmp_path):
    reader = WordPressReader()
    assert reader.detect(export)
    other = tmp_path / "feed.xml"
    other.write_text('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    assert not reader.detect(other)
    assert not reader.detect(tmp_path)


def test_every_post_and_page_is_read_with_zero_refusals(export):
    posts, report = read(export)
    assert report.problems == {}
    assert sorted(posts) == ["101", "102", "103", "104", "2"]
    assert report.source == "WordPress"


def test_titles_slugs_dates_keep_the_sites_offset(export):
    posts, _ = read(export)
    gutenberg, classic = posts["101"], posts["102"]
    assert gutenberg.title == "Hiring your first AI engineer"
    assert gutenberg.slug == "first-ai-engineer"
    assert gutenberg.published_at.isoformat() == "2024-05-01T09:30:00+02:00"
    assert classic.title == "Notes from a classic editor & friends"
    assert classic.published_at.isoformat() == "2014-05-01T09:00:00-05:00"
    assert gutenberg.description == "How to hire the first one."


def test_statuses_published_scheduled_draft_and_pages_as_drafts(export):
    posts, _ = read(export)
    assert not posts["101"].draft
    scheduled = posts["104"]
    assert not scheduled.draft
    assert scheduled.published_at == datetime.datetime(2027, 1, 5, 13, 0, tzinfo=datetime.UTC)
    draft = posts["103"]
    assert draft.draft and draft.published_at is None and draft.slug == ""
    assert draft.old_urls == []  # a draft never had a public address
    page = posts["2"]
    assert page.draft
    assert any("About page" in note for note in page.notes)


def test_authors_from_the_author_list(export):
    posts, _ = read(export)
    assert posts["101"].author.name == "Alex Navarro"
    assert posts["101"].author.email == "alex@example.com"
    assert posts["102"].author.name == "Sam O'Neil"
    assert posts["102"].author.email == "sam@example.com"


def test_categories_and_tags_become_tags_without_uncategorized(export):
    posts, report = read(export)
    assert posts["101"].tags == ["Hiring & Teams", "Interviews"]
    assert posts["102"].tags == ["Notes", "Interviews"]
    assert report.counts["“Uncategorized” categories left out"] == 1


def test_old_addresses_link_p_id_and_old_slugs(export):
    posts, _ = read(export)
    assert posts["101"].old_urls == [
        "/2024/05/first-ai-engineer/",
        "/2024/05/hiring-ai-engineers/",
        "/?p=101",
    ]
    assert posts["2"].old_urls == ["/about/", "/?page_id=2"]


def test_comments_and_other_items_are_counted_not_imported(export):
    _, report = read(export)
    assert report.counts["comments left out"] == 2
    assert report.counts["menu items left out"] == 1


def test_featured_image_from_the_thumbnail_attachment(export, tmp_path):
    posts, _ = read(export)
    image = posts["101"].image
    assert image.path == (tmp_path / "uploads/2024/05/whiteboard.jpg").resolve()
    assert image.alt == "A whiteboard with an interview plan"
    assert image.caption == "Our interview plan, on the office whiteboard"


def test_body_images_are_files_size_variants_mapped_to_the_original(export, tmp_path):
    posts, _ = read(export)
    uploads = (tmp_path / "uploads/2024/05").resolve()
    assets = posts["101"].assets
    base = "https://alex.example.com/wp-content/uploads/2024/05/"
    assert assets[base + "whiteboard-300x200.jpg"] == uploads / "whiteboard.jpg"
    assert assets[base + "whiteboard-1024x683.jpg"] == uploads / "whiteboard.jpg"
    assert assets[base + "team.png"] == uploads / "team.png"
    # Every address in the assets is written in the body, so the pipeline can rewrite it.
    assert all(f"]({address}" in posts["101"].body for address in assets)
    assert any("another site" in note and "cat.jpg" in note for note in posts["101"].notes)


def test_uploads_folder_given_explicitly(export, tmp_path):
    elsewhere = tmp_path / "downloads" / "my-uploads"
    shutil.move(tmp_path / "uploads", elsewhere)
    posts, _ = read(export)
    assert posts["101"].image.path is None
    assert any("not in the uploads folder" in n for n in posts["101"].notes)
    posts, _ = read(export, uploads=elsewhere)
    assert posts["101"].image.path == (elsewhere / "2024/05/whiteboard.jpg").resolve()


def test_gutenberg_blocks_become_markdown(export):
    body = read(export)[0]["101"].body
    assert "The first hire sets the **tone** for the\\_team." in body
    assert "## What to look for" in body
    assert "- Shipped software\n- Evaluation habits" in body
    assert "> Hire for judgement." in body
    assert (
        "> Great AI engineers are great engineers first.\n>\n> — A CTO\n> {: .pullquote }" in body
    )
    assert "```\ndef score(candidate):\n    return candidate.judgement\n```" in body
    assert "| Stage | Days |\n| --- | --- |\n| Screen | 2 |" in body
    # The figure's caption becomes the image's title, which the renderer shows as a caption.
    assert (
        "![A whiteboard with an interview plan]"
        "(https://alex.example.com/wp-content/uploads/2024/05/whiteboard-300x200.jpg"
        ' "The plan we used")'
    ) in body
    assert (
        '![The team](https://alex.example.com/wp-content/uploads/2024/05/team.png "Offsite, 2024")'
        in body
    )
    assert "<!-- wp:" not in body.replace('<!-- wp:latest-posts {"postsToShow":3} /-->', "")


def test_embeds_become_privacy_friendly_links_and_nothing_is_dropped_silently(export):
    post = read(export)[0]["101"]
    assert (
        "[Watch the video on YouTube](https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ)"
        in post.body
    )
    assert "[See the post on X (Twitter)](https://twitter.com/alex/status/123)" in post.body
    assert "[Watch “A talk” on Vimeo](https://player.vimeo.com/video/76979871?dnt=1)" in post.body
    assert "<iframe" not in post.body and "<script" not in post.body
    assert any("script left out" in note for note in post.notes)
    # A dynamic block has no HTML of its own: it stays visible for the author to replace.
    assert '```html\n<!-- wp:latest-posts {"postsToShow":3} /-->\n```' in post.body
    assert any("latest-posts" in note for note in post.notes)


def test_classic_content_paragraphs_and_shortcodes(export):
    post = read(export)[0]["102"]
    body = post.body
    assert body.startswith(
        "This was written in the classic editor.  \nA second line of the same paragraph.\n\n"
    )
    assert (
        "![The team](https://alex.example.com/wp-content/uploads/2024/05/team-300x225.png "
        '"The team at the offsite")'
    ) in body
    assert (
        "[Watch the video on YouTube](https://www.youtube-nocookie.com/embed/abcdefghijk)" in body
    )
    assert "[Watch the video on Vimeo](https://player.vimeo.com/video/12345?dnt=1)" in body
    assert '```python\nif a < b and c > d:\n    print("[sic]")\n```' in body
    # [gallery ids=...] shows the attachments, with their captions.
    assert (
        "![A whiteboard with an interview plan](https://alex.example.com/wp-content/uploads/"
        '2024/05/whiteboard.jpg "Our interview plan, on the office whiteboard")'
    ) in body
    # An unknown shortcode stays visible and is named; prose in brackets is left alone.
    assert '```text\n[contact-form-7 id="42" title="Contact form 1"]\n```' in body
    assert any("[contact-form-7]" in note for note in post.notes)
    assert "A sentence with [sic] in brackets and *emphasis*." in body
    assert "- one\n- two" in body
    assert set(post.assets.values()) == {
        export.parent.resolve() / "uploads/2024/05/team.png",
        export.parent.resolve() / "uploads/2024/05/whiteboard.jpg",
    }


def test_autop_follows_wordpress():
    assert autop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>"
    assert autop("<h2>Title</h2>\nText") == "<h2>Title</h2>\n<p>Text</p>"
    assert autop("<pre>a\n\nb</pre>") == "<pre>a\n\nb</pre>"


def test_dates_offsets():
    assert wordpress_date("2024-05-01 09:30:00", "2024-05-01 04:00:00").isoformat() == (
        "2024-05-01T09:30:00+05:30"
    )
    assert wordpress_date("2024-05-01 09:30:00", "0000-00-00 00:00:00") is None
    assert wordpress_date("", "") is None


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>
<title>&lol9;</title><wp:post_type>post</wp:post_type></item></channel></rss>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>
<title>&secret;</title><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
</item></channel></rss>
"""


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_attacks_are_refused_with_a_clear_report(tmp_path, attack):
    xml = tmp_path / "attack.xml"
    xml.write_text(attack)
    report = Report()
    posts = []
    worker = threading.Thread(target=lambda: posts.extend(WordPressReader().read(xml, report)))
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "the reader hung on an entity attack"
    assert posts == []
    [message] = report.problems[str(xml)]
    assert message.startswith("refused: the file declares XML entities")
    assert "root:" not in str(report)  # /etc/passwd was never read


def test_broken_xml_is_a_problem_not_a_crash(tmp_path):
    xml = tmp_path / "broken.xml"
    xml.write_text('<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>')
    report = Report()
    assert list(WordPressReader().read(xml, report)) == []
    assert "not well-formed XML" in report.problems[str(xml)][0]


def test_uploads_lookup_never_leaves_the_folder(export, tmp_path):
    (tmp_path / "secret.jpg").write_bytes(b"x")
    reader = WordPressReader()
    list(reader.read(export, Report()))
    assert reader.upload_file("https://alex.example.com/wp-content/uploads/../secret.jpg") is None
    assert (
        reader.upload_file("https://alex.example.com/wp-content/uploads/%2e%2e/secret.jpg") is None
    )


def test_a_body_nested_too_deep_or_too_long_is_one_posts_problem(export):
    text = export.read_text()
    deep = "<div>" * 5000 + "x" + "</div>" * 5000
    text = text.replace("<p>Scheduled.</p>", deep)
    text = text.replace("<p>I help companies hire.</p>", "<p>" + "a " * 600_000 + "</p>")
    export.write_text(text)
    posts, report = read(export)
    assert sorted(posts) == ["101", "102", "103"]  # the others still read
    assert "nests elements over 120 deep" in report.problems[f"{export} (post 104: Coming soon)"][0]
    assert (
        "over the 1,000,000 an import converts" in report.problems[f"{export} (page 2: About)"][0]
    )


def test_a_password_protected_post_stays_unpublished(export):
    text = export.read_text().replace(
        "<wp:post_id>102</wp:post_id>",
        "<wp:post_id>102</wp:post_id>\n<wp:post_password>s3cret</wp:post_password>",
    )
    export.write_text(text)
    post = read(export)[0]["102"]
    assert post.draft
    assert any("password-protected" in note for note in post.notes)
    assert post.old_urls == ["/2014/05/classic-notes/", "/?p=102"]  # it had a public address
