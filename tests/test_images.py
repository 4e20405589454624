"""Uploaded images: what is refused, what is cleaned, and the renditions made on upload."""

import io
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image, ImageSequence

from blog.models import BodyImage, Post
from core.images.renditions import make_renditions, rendition_name, target_widths
from tests import hostile_images
from tests.conftest import image_bytes, image_upload

pytestmark = pytest.mark.django_db

TWELVE_MB = 12 * 1024 * 1024


def png_bomb(width, height):
    """A genuine decompression bomb: a valid 1-bit PNG of ``width``×``height`` black pixels.

    Zeros compress about a thousandfold, so a canvas of hundreds of megapixels fits in a
    file of a few tens of kilobytes; decoding it would take that many bytes of memory.
    """

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def jpeg_with_exif(size=(60, 40), orientation=6):
    """A phone-style photo: stored sideways with an orientation tag, and who made it."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SecretPhone"  # Make
    exif[0x013B] = "Someone Private"  # Artist
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


BAD_UPLOADS = {
    # name: (file name, bytes, claimed content type, words the author's message must contain)
    "bomb": ("bomb.png", png_bomb(20_000, 20_000), "image/png", "megapixels"),
    "over the pixel limit": ("huge.png", png_bomb(8_000, 8_000), "image/png", "8000×8000"),
    "text renamed .jpg": (
        "notes.jpg",
        b"Meeting notes, not a photo.\n" * 20,
        "image/jpeg",
        "not a",
    ),
    "html renamed .jpg": (
        "page.jpg",
        b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        "image/jpeg",
        "not a",
    ),
    "svg": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>",
        "image/svg+xml",
        "not a",
    ),
    "svg renamed .png": (
        "logo.png",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        "image/png",
        "not a",
    ),
    "huge file": ("big.jpg", b"\xff\xd8\xff\xe0" + b"\0" * TWELVE_MB, "image/jpeg", "12.0 MB"),
}


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_the_bomb_is_small_and_real():
    data = png_bomb(20_000, 20_000)
    assert len(data) < 100_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(data))


class TestRefusedUploads:
    @pytest.mark.parametrize("case", BAD_UPLOADS)
    def test_editor_upload_is_refused_with_a_clear_message(self, staff_client, media_root, case):
        name, content, content_type, words = BAD_UPLOADS[case]
        response = staff_client.post(
            "/markdownx/upload/",
            {"image": SimpleUploadedFile(name, content, content_type)},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        assert response.status_code == 400
        (message,) = response.json()["image"]
        assert words in message
        assert stored_files(media_root) == [] and not BodyImage.objects.exists()

    @pytest.mark.parametrize("case", BAD_UPLOADS)
    def test_featured_image_is_refused_with_a_clear_message(
        self, staff_client, author, media_root, case
    ):
        from tests.test_admin import post_form

        name, content, content_type, words = BAD_UPLOADS[case]
        upload = SimpleUploadedFile(name, content, content_type)
        data = post_form(author, featured_image=upload, featured_image_alt="Alt")
        response = staff_client.post("/admin/blog/post/add/", data)
        assert response.status_code == 200
        assert words in response.content.decode()
        assert not Post.objects.exists() and stored_files(media_root) == []

    def test_bomb_message_names_the_limit(self):
        from core.images.uploads import validate_image

        bomb = SimpleUploadedFile("bomb.png", png_bomb(20_000, 20_000), "image/png")
        with pytest.raises(Exception, match="limit of 50 megapixels"):
            validate_image(bomb)


class TestCleaning:
    def test_featured_image_loses_its_metadata_and_stands_upright(self, staff_client, author):
        from tests.test_admin import post_form

        photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_exif(), "image/jpeg")
        data = post_form(author, featured_image=photo, featured_image_alt="A photo")
        assert staff_client.post("/admin/blog/post/add/", data).status_code == 302
        post = Post.objects.get()
        with post.featured_image.open("rb") as handle, Image.open(handle) as stored:
            assert stored.size == (40, 60)  # turned as the orientation tag said
            assert dict(stored.getexif()) == {}
        assert (post.featured_image_width, post.featured_image_height) == (40, 60)
        assert "IMG_0001" not in post.featured_image.name

    def test_featured_image_extension_follows_the_bytes(self, make_post):
        post = make_post(
            featured_image=SimpleUploadedFile("photo.jpg", image_bytes("PNG"), "image/jpeg"),
            featured_image_alt="A square",
        )
        assert re.fullmatch(r"post/[0-9a-f]{32}\.png", post.featured_image.name)

    def test_editor_upload_loses_its_metadata_and_stands_upright(self, staff_client, media_root):
        response = staff_client.post(
            "/markdownx/upload/",
            {"image": SimpleUploadedFile("IMG_0002.jpg", jpeg_with_exif(), "image/jpeg")},
        )
        assert response.status_code == 200
        name = BodyImage.objects.get().name
        with Image.open(media_root / name) as stored:
            assert stored.size == (40, 60) and dict(stored.getexif()) == {}


def editor_upload(client, name, content):
    return client.post("/markdownx/upload/", {"image": SimpleUploadedFile(name, content)})


def stored(media_root):
    return media_root / BodyImage.objects.get().name


class TestReencodedAnimations:
    """Re-encoding keeps what an animation needs to play as it did, and nothing else."""

    def test_keep_their_frames_durations_loop_and_transparency(self, staff_client, media_root):
        # A dot moving across a transparent canvas, each frame cleared before the next.
        frames = []
        for x in range(3):
            frame = Image.new("P", (30, 10), 0)
            frame.putpalette([255, 255, 255, 200, 30, 30])
            frame.paste(1, (x * 10, 0, x * 10 + 10, 10))
            frames.append(frame)
        source = hostile_images.gif(
            frames, duration=[100, 200, 300], loop=2, transparency=0, disposal=2
        )
        response = editor_upload(staff_client, "dot.gif", source)
        assert response.status_code == 200, response.content
        with Image.open(io.BytesIO(source)) as original, Image.open(stored(media_root)) as copy:
            assert copy.info["loop"] == 2
            assert [f.info["duration"] for f in ImageSequence.Iterator(copy)] == [100, 200, 300]
            seen = [f.convert("RGBA").tobytes() for f in ImageSequence.Iterator(original)]
            kept = [f.convert("RGBA").tobytes() for f in ImageSequence.Iterator(copy)]
            assert kept == seen

    def test_a_gif_that_played_once_still_plays_once(self, staff_client, media_root):
        source = hostile_images.gif(hostile_images.two_colour_frames(2, (20, 20)), duration=50)
        assert editor_upload(staff_client, "once.gif", source).status_code == 200
        with Image.open(stored(media_root)) as copy:
            assert copy.n_frames == 2 and "loop" not in copy.info


def rendition_sizes(described, media_root):
    """``{content type: [(width, height) of each file]}``, read back from the files."""
    sizes = {}
    for source in described["sources"]:
        for width, name in source["files"]:
            with Image.open(media_root / name) as image:
                assert image.width == width
                assert Image.MIME[image.format] == source["type"]
                sizes.setdefault(source["type"], []).append(image.size)
    return sizes


class TestRenditions:
    def test_target_widths_never_upscale(self):
        assert target_widths(4000) == [480, 960, 1600]
        assert target_widths(1200) == [480, 960, 1200]
        assert target_widths(480) == [480]
        assert target_widths(300) == [300]

    def test_rendition_names_are_deterministic(self):
        assert rendition_name("post/abc.jpg", 480, "WEBP") == "post/abc-480w.webp"
        assert rendition_name("uploads/abc.png", 960, "PNG") == "uploads/abc-960w.png"

    def test_large_jpeg_gets_three_widths_in_webp_and_jpeg(self, make_post, media_root):
        post = make_post(
            featured_image=image_upload("big.jpg", "JPEG", "image/jpeg", size=(2000, 1000)),
            featured_image_alt="Wide",
        )
        described = post.featured_image_renditions
        assert (described["name"], described["width"], described["height"]) == (
            post.featured_image.name,
            2000,
            1000,
        )
        assert rendition_sizes(described, media_root) == {
            "image/webp": [(480, 240), (960, 480), (1600, 800)],
            "image/jpeg": [(480, 240), (960, 480), (1600, 800)],
        }
        stem = post.featured_image.name.removesuffix(".jpg")
        assert described["sources"][0]["files"][0][1] == f"{stem}-480w.webp"
        # Stored, not recomputed: reloading the post needs no file.
        assert Post.objects.get(pk=post.pk).featured_image_renditions == described

    def test_mid_size_png_stops_at_its_own_width_and_reuses_the_original(
        self, make_post, media_root
    ):
        post = make_post(featured_image=image_upload(size=(1200, 600)), featured_image_alt="Mid")
        described = post.featured_image_renditions
        assert rendition_sizes(described, media_root) == {
            "image/webp": [(480, 240), (960, 480), (1200, 600)],
            "image/png": [(480, 240), (960, 480), (1200, 600)],
        }
        assert described["sources"][1]["files"][-1] == [1200, post.featured_image.name]

    def test_small_image_is_never_upscaled(self, make_post, media_root):
        post = make_post(featured_image=image_upload(size=(300, 200)), featured_image_alt="S")
        assert rendition_sizes(post.featured_image_renditions, media_root) == {
            "image/webp": [(300, 200)],
            "image/png": [(300, 200)],
        }
        assert len(stored_files(media_root / "post")) == 2  # the original and one WebP

    def test_webp_original_needs_only_webp(self, make_post, media_root):
        post = make_post(
            featured_image=image_upload("a.webp", "WEBP", "image/webp", size=(1000, 500)),
            featured_image_alt="W",
        )
        assert rendition_sizes(post.featured_image_renditions, media_root) == {
            "image/webp": [(480, 240), (960, 480), (1000, 500)]
        }

    def test_still_gif_falls_back_to_png(self, make_post, media_root):
        post = make_post(
            featured_image=image_upload("a.gif", "GIF", "image/gif", size=(600, 300)),
            featured_image_alt="G",
        )
        assert list(rendition_sizes(post.featured_image_renditions, media_root)) == [
            "image/webp",
            "image/png",
        ]

    def test_transparency_survives(self, make_post, media_root):
        buffer = io.BytesIO()
        Image.new("RGBA", (600, 300), (0, 0, 0, 0)).save(buffer, "PNG")
        post = make_post(
            featured_image=SimpleUploadedFile("t.png", buffer.getvalue(), "image/png"),
            featured_image_alt="T",
        )
        webp = post.featured_image_renditions["sources"][0]["files"][0][1]
        with Image.open(media_root / webp) as image:
            assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0

    def test_animated_gif_is_left_as_it_is(self, make_post, media_root):
        frames = [Image.new("RGB", (600, 300), color) for color in ("red", "blue")]
        buffer = io.BytesIO()
        frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
        post = make_post(
            featured_image=SimpleUploadedFile("a.gif", buffer.getvalue(), "image/gif"),
            featured_image_alt="A",
        )
        assert post.featured_image_renditions["sources"] == []
        assert len(stored_files(media_root / "post")) == 1

    def test_replacing_the_image_makes_new_renditions_and_saving_again_does_not(
        self, make_post, media_root
    ):
        post = make_post(featured_image=image_upload(size=(600, 300)), featured_image_alt="1")
        first = post.featured_image_renditions
        files = stored_files(media_root / "post")
        assert len(files) == 4  # the original; WebP at 480 and 600; PNG at 480
        post.save()
        assert post.featured_image_renditions == first
        assert stored_files(media_root / "post") == files
        post.featured_image = image_upload(size=(500, 250))
        post.save()
        assert post.featured_image_renditions["name"] == post.featured_image.name != first["name"]
        assert post.featured_image_renditions["width"] == 500

    def test_clearing_the_image_clears_the_renditions(self, make_post):
        post = make_post(featured_image=image_upload(size=(600, 300)), featured_image_alt="1")
        post.featured_image = ""
        post.save()
        assert post.featured_image_renditions == {}

    def test_editor_upload_records_its_renditions(self, staff_client, media_root):
        response = staff_client.post(
            "/markdownx/upload/",
            {"image": image_upload("p.jpg", "JPEG", "image/jpeg", size=(1000, 800))},
        )
        assert response.status_code == 200
        record = BodyImage.objects.get()
        assert response.json()["image_code"] == f"![Describe this image](/media/{record.name})"
        assert rendition_sizes(record.renditions, media_root) == {
            "image/webp": [(480, 384), (960, 768), (1000, 800)],
            "image/jpeg": [(480, 384), (960, 768), (1000, 800)],
        }

    def test_unreadable_file_gets_no_renditions(self, media_root):
        (media_root / "post").mkdir(parents=True)
        (media_root / "post" / "gone.jpg").write_bytes(b"not an image")
        assert make_renditions("post/gone.jpg") == {}
        assert make_renditions("post/missing.jpg") == {}


class TestMakeRenditionsCommand:
    def test_old_images_get_renditions_and_bodies_are_rendered_again(self, make_post, media_root):
        # As stored before renditions existed: files on disk, nothing recorded.
        (media_root / "uploads").mkdir(parents=True)
        upload = "uploads/" + "a" * 32 + ".png"
        (media_root / upload).write_bytes(image_bytes(size=(1000, 500)))
        post = make_post(
            featured_image=image_upload(size=(800, 400)),
            featured_image_alt="Old",
            body=f"Text.\n\n![Old upload](/media/{upload})",
        )
        Post.objects.filter(pk=post.pk).update(featured_image_renditions={})
        post.refresh_from_db()
        assert "<picture>" not in post.body_html
        updated_at = post.updated_at

        call_command("make_renditions", stdout=io.StringIO())

        post.refresh_from_db()
        assert post.featured_image_renditions["width"] == 800
        assert BodyImage.objects.get().name == upload
        assert "<picture>" in post.body_html and 'width="1000" height="500"' in post.body_html
        assert post.updated_at == updated_at

    def test_new_renditions_retire_cached_pages(self, make_post, media_root):
        from core.http.page_cache import content_version

        post = make_post(featured_image=image_upload(size=(800, 400)), featured_image_alt="New")
        Post.objects.filter(pk=post.pk).update(featured_image_renditions={})
        before = content_version()
        call_command("make_renditions", stdout=io.StringIO())
        assert content_version() != before

    def test_second_run_has_nothing_to_do(self, make_post):
        make_post(featured_image=image_upload(size=(800, 400)), featured_image_alt="New")
        out = io.StringIO()
        call_command("make_renditions", stdout=out)
        assert "for 0 featured image(s) or cover(s) and 0 uploaded" in out.getvalue()
        call_command("make_renditions", "--all", stdout=out)
        assert "for 1 featured image(s)" in out.getvalue()
