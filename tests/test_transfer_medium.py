"""The Medium reader: an archive's posts/*.html (h-entry documents, drafts named draft_*)
become the records the pipeline writes."""

import zipfile
from pathlib import Path

import pytest

from transfer.medium import MediumReader
from transfer.sources import Report

FIXTURE = Path(__file__).parent / "fixtures" / "medium"


@pytest.fixture(params=["folder", "zip"])
def export(request, tmp_path):
    if request.param == "folder":
        return FIXTURE
    path = tmp_path / "medium-export-0123.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(FIXTURE.rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(FIXTURE).as_posix())
    return path


def read(path):
    report = Report()
    posts = {post.slug: post for post in MediumReader().read(path, report)}
    return posts, report


def test_detects_a_medium_archive_not_a_substack_export(export):
    assert MediumReader().detect(export)
    assert not MediumReader().detect(FIXTURE.parent / "substack")
    assert not MediumReader().detect(FIXTURE / "README.html")


def test_every_post_read_with_zero_refusals(export):
    posts, report = read(export)
    assert report.problems == {} and report.skipped == {}
    assert sorted(posts) == ["hiring-for-judgement", "notes-on-evals", "on-our-own-domain"]


def test_title_subtitle_date_author_and_the_repeated_title_removed(export):
    post = read(export)[0]["hiring-for-judgement"]
    assert post.title == "Hiring for judgement"
    assert post.description == "Why taste beats trivia in interviews"
    assert post.published_at.isoformat() == "2019-05-01T10:15:00.123000+00:00"
    assert not post.draft
    assert post.author.name == "Alex Navarro"
    assert post.body == (
        "Trivia tests memory. *Judgement* is the job.\n\n"
        '![](https://cdn-images-1.medium.com/max/800/1*abc.jpeg "An interview loop, drawn")\n\n'
        "## The loop\n\n"
        "```\nloop = [screen, onsite]\n```\n\n"
        "> Ask what they would cut.\n\n"
        "[Watch the video on YouTube](https://www.youtube-nocookie.com/embed/AbCdEfGhIjK)\n"
    )
    assert any("still loaded from Medium" in n for n in post.notes)


def test_old_address_only_on_the_authors_own_domain(export):
    posts, _ = read(export)
    assert posts["hiring-for-judgement"].old_urls == []
    assert any("cannot redirect here" in n for n in posts["hiring-for-judgement"].notes)
    assert posts["on-our-own-domain"].old_urls == ["/on-our-own-domain-0f1e2d3c4b5a"]
    assert any("media proxy" in n for n in posts["on-our-own-domain"].notes)


def test_drafts(export):
    draft = read(export)[0]["notes-on-evals"]
    assert draft.draft and draft.published_at is None and draft.old_urls == []
    assert draft.body == "Unfinished.\n"
