"""What an upload may cost to decode, and how long it may take (issue 14, item 3).

An animated GIF of 11 frames of 6,000×6,000 (about 300 KB) used to hold a web worker for
30 s, past gunicorn's timeout; a 100 KB progressive JPEG, for longer. Now the header is
checked against a budget of frames × pixels before anything is decoded, and the work runs
in a child process that is stopped after ``IMAGE_PROCESSING_SECONDS``. Real photos and
ordinary animations still go through. The hostile files themselves are refused through
every upload field in ``test_hostile_uploads.py``.
"""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from blog.models import BodyImage
from tests import hostile_images

pytestmark = pytest.mark.django_db


def editor_upload(client, name, content):
    return client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile(name, content, "image/png")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def stored(media_root):
    return media_root / BodyImage.objects.get().name


class TestRefusedBeforeDecoding:
    """The bombs cost the server a fraction of a second, not the 30 s they used to."""

    def test_the_issue_14_gif_bomb(self, staff_client, media_root):
        bomb = hostile_images.issue_14_gif_bomb()
        assert len(bomb) < 400_000
        started = time.monotonic()
        response = editor_upload(staff_client, "bomb.gif", bomb)
        seconds = time.monotonic() - started
        assert response.status_code == 400
        (message,) = response.json()["image"]
        assert "frames of 6000×6000 pixels" in message and "16 megapixels" in message
        assert seconds < 2, f"refused after {seconds:.1f} s"  # it was 35 s

    def test_a_progressive_jpeg_of_a_thousand_scans(self, staff_client, media_root):
        bomb = hostile_images.jpeg_scan_bomb(size=(4000, 3000), repeats=1000)
        assert len(bomb) < 150_000
        started = time.monotonic()
        response = editor_upload(staff_client, "scans.jpg", bomb)
        seconds = time.monotonic() - started
        assert response.status_code == 400
        assert "1010 passes (scans)" in response.json()["image"][0]
        assert seconds < 2, f"refused after {seconds:.1f} s"  # about 10 s per decode


class TestRealImagesStillGoThrough:
    def test_a_48_megapixel_phone_photo(self, staff_client, media_root):
        buffer = io.BytesIO()
        Image.new("RGB", (8000, 6000), (90, 140, 200)).save(buffer, "JPEG", quality=90)
        response = editor_upload(staff_client, "IMG_0001.jpg", buffer.getvalue())
        assert response.status_code == 200, response.content
        with Image.open(stored(media_root)) as image:
            assert image.size == (8000, 6000)
        assert BodyImage.objects.get().renditions["width"] == 8000

    def test_a_20_frame_800_by_600_animation(self, staff_client, media_root):
        frames = hostile_images.two_colour_frames(20, (800, 600))
        data = hostile_images.gif(frames, duration=80, loop=0)
        response = editor_upload(staff_client, "dance.gif", data)
        assert response.status_code == 200, response.content
        with Image.open(stored(media_root)) as image:
            assert (image.n_frames, image.size) == (20, (800, 600))


class TestTimeLimit:
    def test_processing_past_the_limit_is_refused_with_a_message(
        self, staff_client, media_root, settings
    ):
        settings.IMAGE_PROCESSING_SECONDS = 0.001  # less than the child needs to start
        response = editor_upload(staff_client, "photo.png", hostile_images.gif_with_comment())
        assert response.status_code == 400
        assert "took longer than 0.001 seconds" in response.json()["image"][0]
        assert not BodyImage.objects.exists() and not media_root.exists()

    def test_running_out_of_memory_is_a_refusal(self, staff_client, media_root, settings):
        settings.IMAGE_PROCESSING_MEMORY = 200 * 1024 * 1024  # 6,000×5,000 needs about 330 MB
        buffer = io.BytesIO()
        Image.new("RGB", (6000, 5000), (90, 140, 200)).save(buffer, "JPEG")
        response = editor_upload(staff_client, "photo.jpg", buffer.getvalue())
        assert response.status_code == 400
        assert "memory" in response.json()["image"][0]


def test_a_camera_mpo_is_stored_as_its_first_picture(staff_client, media_root):
    # Some cameras save a second picture after the first in a .jpg (MPO): it was a 500.
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    response = editor_upload(staff_client, "DSCF0001.jpg", buffer.getvalue())
    assert response.status_code == 200, response.content
    path = stored(media_root)
    assert path.suffix == ".jpg"
    with Image.open(path) as image:
        assert image.format == "JPEG" and image.getpixel((20, 15))[0] > 200
