"""Hostile and broken files for ``import_markdown``: each reported with its file (and line
where there is one) and its reason; the database and media unchanged for that file; the
good files beside it still imported.

The cases the format's own tests cover (tests/test_import_export.py: malformed YAML, missing
title, unknown author, binary, non-UTF-8...) are not repeated; these are the nastier ones.
"""

import time
from types import SimpleNamespace

import pytest

from blog.io.markdown_files import MAX_FILE_BYTES, read_source
from blog.models import Author, Post
from tests.conftest import image_bytes
from tests.test_import_export import (
    counts,
    media_files,
    post_state,
    run_failing_import,
    run_import,
    write_author,
    write_file,
    write_post,
)

pytestmark = pytest.mark.django_db

FIFTY_MB = 50 * 1024 * 1024


def reports(err):
    """stderr as {file name: message}."""
    found = {}
    for line in err.splitlines():
        where, _, message = line.partition(": ")
        found[where.rsplit("/", 1)[-1].split(":")[0]] = message
    return found


def test_a_50_mb_file_is_refused_without_being_read(author, tmp_path, monkeypatch):
    big = tmp_path / "huge.md"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.write(b"---\ntitle: Huge\n---\n")
        handle.truncate(FIFTY_MB)
    write_post(tmp_path / "good.md", title="Good", slug="good")
    read_sizes = []
    real_open = type(big).open

    def counting_open(path, *args, **kwargs):
        handle = real_open(path, *args, **kwargs)
        if path.name == "huge.md":
            real_read = handle.read
            handle.read = lambda size=-1: read_sizes.append(size) or real_read(size)
        return handle

    monkeypatch.setattr(type(big), "open", counting_open)
    summary, err = run_failing_import(tmp_path)
    assert summary == "1 created, 0 updated, 1 failed"
    assert reports(err) == {"huge.md": "file is larger than 2 MB"}
    assert all(0 <= size <= MAX_FILE_BYTES + 1 for size in read_sizes)  # never read whole


def test_a_file_that_grows_past_the_limit_is_refused_too(tmp_path, monkeypatch):
    # The size is checked on what is read, not only on what stat() said beforehand.
    path = write_file(
        tmp_path / "growing.md", "---\ntitle: T\n---\n\n" + "x" * (MAX_FILE_BYTES + 10)
    )
    real_stat = type(path).stat
    monkeypatch.setattr(
        type(path),
        "stat",
        lambda self, **kw: SimpleNamespace(st_size=10, st_mode=real_stat(self, **kw).st_mode),
    )
    with pytest.raises(Exception, match="larger than 2 MB"):
        read_source(path)


def test_duplicate_slugs_in_one_import_are_both_refused(author, tmp_path):
    write_post(tmp_path / "a.md", title="First", slug="same", body="First body.")
    write_post(tmp_path / "b.md", title="Second", slug="same", body="Second body.")
    write_post(tmp_path / "c.md", title="Same", body="Slug from the title.")
    write_post(tmp_path / "ok.md", title="Fine", slug="fine")

    summary, err = run_failing_import(tmp_path)

    assert summary == "1 created, 0 updated, 3 failed"
    found = reports(err)
    assert set(found) == {"a.md", "b.md", "c.md"}
    # Full paths: two files of one name in different folders must be told apart.
    assert f"slug 'same' is also used by {tmp_path / 'b.md'}, {tmp_path / 'c.md'}" in found["a.md"]
    assert list(Post.objects.values_list("slug", flat=True)) == ["fine"]


def test_duplicate_author_slugs_in_one_import_are_refused(db, tmp_path):
    write_author(tmp_path / "a.md", name="Sam One", slug="sam")
    write_author(tmp_path / "b.md", name="Sam Two", slug="sam")
    summary, err = run_failing_import(tmp_path)
    assert summary == "0 created, 0 updated, 2 failed"
    assert not Author.objects.exists()


def test_a_slug_already_in_the_database_updates_that_post(make_post, tmp_path):
    # Documented: posts are matched by slug, so this is an update, not a duplicate.
    make_post(slug="existing", title="Old title")
    write_post(tmp_path / "x.md", title="New title", slug="existing")
    out, _ = run_import(tmp_path)
    assert "0 created, 1 updated" in out
    assert Post.objects.get(slug="existing").title == "New title"


HOSTILE_FILES = {
    # name: (bytes, words the report must contain)
    "python-tag.md": (
        b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned']\n---\n\nBody.\n",
        "invalid YAML",
    ),
    "billion-laughs.md": (
        b"---\ntitle: T\na: &a [x, x, x, x, x, x, x, x, x]\n"
        b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"tags: [*d, *d, *d, *d, *d, *d, *d, *d]\n---\n\nBody.\n",
        "unknown key(s): a, b, c, d",
    ),
    "tabs.md": (b"---\ntitle: T\n\tslug: x\n---\n\nBody.\n", "invalid YAML"),
    "list-front-matter.md": (b"---\n- title\n- T\n---\n\nBody.\n", "must be a mapping"),
    "empty-front-matter.md": (b"---\n---\n\nBody.\n", "must be a mapping"),
    "title-is-a-mapping.md": (b"---\ntitle: {a: b}\nauthor: alex-navarro\n---\n\nB.\n", "text"),
    "no-body.md": (b"---\ntitle: T\nauthor: alex-navarro\n---\n", "no body"),
    "missing-author.md": (b"---\ntitle: T\n---\n\nBody.\n", "'author' is required"),
    "unknown-author.md": (b"---\ntitle: T\nauthor: ghost\n---\n\nBody.\n", "unknown author"),
    "utf16.md": ("---\ntitle: T\n---\n\nBody.\n".encode("utf-16"), "not a text file"),
    "latin1.md": ("---\ntitle: Caf\u00e9\n---\n\nBody.\n".encode("latin-1"), "not UTF-8"),
    "png-renamed.md": (image_bytes(), "not a text file"),
    "gzip.md": (b"\x1f\x8b\x08\x00" + bytes(range(1, 200)), "not a text file"),
    "high-bytes.md": (bytes(range(128, 256)), "not UTF-8"),
    "lone-surrogate.md": (b"---\ntitle: \xed\xa0\x80\n---\n\nBody.\n", "not UTF-8"),
    "image-outside-folder.md": (
        b"---\ntitle: T\nauthor: alex-navarro\nimage: ../../etc/passwd\nimage_alt: A\n---\n\nB.\n",
        "must be inside the folder",
    ),
    "tag-without-letters.md": (
        b"---\ntitle: T\nauthor: alex-navarro\ntags: ['!!!']\n---\n\nBody.\n",
        "needs at least one letter",
    ),
    "body-too-long.md": (
        b"---\ntitle: T\nauthor: alex-navarro\n---\n\n" + b"word " * 50_000,
        "the body: This is 250,000 characters long; the limit is 200,000.",
    ),
    "title-too-long.md": (
        b"---\ntitle: " + b"T" * 300 + b"\nauthor: alex-navarro\n---\n\nBody.\n",
        "'title': Ensure this value has at most 200 characters (it has 300).",
    ),
}


def test_a_folder_of_good_and_hostile_files(author, tmp_path, media_root):
    folder = tmp_path / "content"
    write_post(folder / "good.md", title="Good post", slug="good-post", tags=["Kept"])
    for name, (content, _words) in HOSTILE_FILES.items():
        # A title of its own, so no two files share the slug made from it.
        write_file(folder / name, content.replace(b"title: T\n", f"title: {name}\n".encode()))
    before = counts()

    start = time.monotonic()
    summary, err = run_failing_import(folder)
    assert time.monotonic() - start < 20

    assert summary == f"1 created, 0 updated, {len(HOSTILE_FILES)} failed"
    found = reports(err)
    for name, (_content, words) in HOSTILE_FILES.items():
        assert words in found.get(name, ""), (name, found.get(name))
    assert counts() == {**before, "Post": before["Post"] + 1, "Tag": 1}
    assert list(Post.objects.values_list("slug", flat=True)) == ["good-post"]
    assert media_files(media_root) == []


def test_yaml_errors_name_the_line(author, tmp_path):
    path = write_file(
        tmp_path / "bad.md", "---\ntitle: T\nauthor: alex-navarro\ntags: [a\n---\n\nB.\n"
    )
    _, err = run_failing_import(path)
    assert err.startswith(f"{path}:") and "invalid YAML" in err
    line = int(err.split(":")[1])
    assert line in {4, 5}  # the unclosed list, or where the parser noticed


def test_a_failed_update_leaves_the_stored_post_exactly_as_it_was(make_post, tmp_path):
    post = make_post(slug="kept", title="Kept title", body="Kept body.")
    before = post_state(Post.objects.get(pk=post.pk))
    write_file(
        tmp_path / "kept.md",
        b"---\ntitle: New\nslug: kept\nauthor: alex-navarro\n---\n\n" + b"word " * 50_000,
    )
    run_failing_import(tmp_path)
    assert post_state(Post.objects.get(pk=post.pk)) == before


def test_imported_images_are_named_after_their_bytes(author, tmp_path, media_root):
    # Imported images are stored byte for byte (an export imports back unchanged), so the
    # name is what must not lie: media is served with the type its extension says.
    write_file(tmp_path / "cover.html", image_bytes("PNG"))
    write_file(tmp_path / "face.svg", image_bytes("GIF"))
    write_post(tmp_path / "post.md", title="Pic", slug="pic", image="cover.html", image_alt="A")
    write_author(tmp_path / "sam.md", name="Sam", slug="sam", avatar="face.svg")
    run_import(tmp_path)
    assert Post.objects.get().featured_image.name.endswith(".png")
    assert Author.objects.get(slug="sam").avatar.name.endswith(".gif")
    assert {p.suffix for p in media_files(media_root) if p.parent.name != "cards"} <= {
        ".png",
        ".gif",
        ".webp",
        ".jpg",
    }


def test_an_oversized_image_is_refused_before_it_is_read(author, tmp_path, media_root):
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.write(image_bytes())
        handle.truncate(FIFTY_MB)
    write_post(tmp_path / "post.md", title="Pic", slug="pic", image="big.png", image_alt="A")
    _, err = run_failing_import(tmp_path)
    assert "image big.png: The file is 50.0 MB; the limit is 10 MB." in err
    assert not Post.objects.exists() and media_files(media_root) == []
