"""The Substack reader: an export (posts.csv and posts/<post_id>.html, as a folder or the
.zip Substack hands over) becomes the records the pipeline writes; unsafe archives are
refused before anything is read from them.
"""

import shutil
import zipfile
from pathlib import Path

import pytest

from transfer import unpacking
from transfer.sources import Report
from transfer.substack import SubstackReader, original_image

FIXTURE = Path(__file__).parent / "fixtures" / "substack"


def zipped(tmp_path, folder="export-2026-12-01"):
    """The fixture as Substack ships it: one .zip, the files under a folder."""
    path = tmp_path / "substack-export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(FIXTURE.rglob("*")):
            if file.is_file():
                zf.write(file, f"{folder}/{file.relative_to(FIXTURE).as_posix()}")
    return path


def read(path):
    report = Report()
    posts = {post.slug: post for post in SubstackReader().read(path, report)}
    return posts, report


@pytest.fixture(params=["folder", "zip"])
def export(request, tmp_path):
    if request.param == "zip":
        return zipped(tmp_path)
    shutil.copytree(FIXTURE, tmp_path / "export")
    return tmp_path / "export"


def test_detects_the_folder_and_the_zip(tmp_path):
    assert SubstackReader().detect(FIXTURE)
    assert SubstackReader().detect(zipped(tmp_path))
    assert not SubstackReader().detect(tmp_path / "nothing")
    assert not SubstackReader().detect(FIXTURE / "posts.csv")


def test_every_post_read_with_zero_refusals_threads_skipped(export):
    posts, report = read(export)
    assert report.problems == {}
    assert list(posts) == ["first-ninety-days", "paid-deep-dive", "episode-one", "half-written"]
    assert list(report.skipped.values()) == ["a discussion thread, not a post"]


def test_titles_dates_descriptions_and_old_addresses(export):
    posts, _ = read(export)
    first = posts["first-ninety-days"]
    assert first.title == "The first ninety days"
    assert first.description == "What a new head of AI should do first"
    assert first.published_at.isoformat() == "2023-03-15T14:00:53.727000+00:00"
    assert not first.draft
    assert first.old_urls == ["/p/first-ninety-days"]
    assert posts["paid-deep-dive"].title == "Deep dive: evals, for real"
    draft = posts["half-written"]
    assert draft.draft and draft.published_at is None and draft.old_urls == []


def test_body_images_footnotes_embeds(export):
    post = read(export)[0]["first-ninety-days"]
    assert post.body == (
        "Start by **listening**.[^1]\n\n"
        "![A roadmap on a wall](https://substack-post-media.s3.amazonaws.com/public/images/"
        'abc_1024x768.png "The first roadmap")\n\n'
        "## Week one\n\n"
        "- Meet everyone\n- Read the incident log\n\n"
        "[Watch the video on YouTube](https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ)\n\n"
        "[^1]: And taking notes.\n"
    )
    assert "a subscribe widget left out" in post.notes
    assert any("still loaded from Substack" in n for n in post.notes)


def test_paid_posts_and_podcasts_are_noted(export):
    posts, _ = read(export)
    paid = posts["paid-deep-dive"]
    assert any("only paid subscribers" in n for n in paid.notes)
    assert any("paywall" in n for n in paid.notes)
    assert "The free part.\n\nThe paid part." in paid.body
    episode = posts["episode-one"]
    assert episode.body.startswith(
        "[Listen to the episode](https://substack.example.com/api/v1/audio/upload/abc/src)\n\n"
    )
    assert any("podcast" in n for n in episode.notes)


def test_resized_image_address_is_the_original():
    assert (
        original_image(
            "https://substackcdn.com/image/fetch/w_1456,c_limit/https%3A%2F%2Fsubstack-post-media"
            ".s3.amazonaws.com%2Fpublic%2Fimages%2Fx.png"
        )
        == "https://substack-post-media.s3.amazonaws.com/public/images/x.png"
    )
    assert original_image("https://example.com/a.png") == "https://example.com/a.png"


def test_a_missing_body_is_a_problem_for_that_post_only(tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(FIXTURE, folder)
    (folder / "posts" / "102.paid-deep-dive.html").unlink()
    posts, report = read(folder)
    assert "paid-deep-dive" not in posts and "first-ninety-days" in posts
    [(origin, [message])] = report.problems.items()
    assert "102.paid-deep-dive" in origin and "is not in the export" in message


def test_path_traversal_in_the_zip_is_refused(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("posts.csv", (FIXTURE / "posts.csv").read_text())
        zf.writestr("../../outside.html", "<p>x</p>")
    posts, report = read(path)
    assert posts == {}
    assert "would land outside the export" in report.problems[str(path)][0]
    assert not (tmp_path.parent / "outside.html").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("posts.csv", (FIXTURE / "posts.csv").read_text())
        zf.writestr("posts/101.first-ninety-days.html", b"\0" * (20 * 1024**2))
    assert path.stat().st_size < 100_000
    posts, report = read(path)
    assert posts == {}
    assert "times its packed size" in report.problems[str(path)][0]


def test_total_unpacked_size_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(unpacking, "MAX_TOTAL_BYTES", 1000)
    posts, report = read(zipped(tmp_path))
    assert posts == {}
    assert "unpacks to over" in report.problems[str(tmp_path / "substack-export.zip")][0]


def test_not_a_zip_is_a_problem(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(b"not a zip")
    posts, report = read(path)
    assert posts == {} and report.problems[str(path)][0].startswith("refused")
