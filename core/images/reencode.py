"""Decode one uploaded image within a budget and re-encode it, in a process of its own.

``core.images.uploads`` runs this file as a child process for every upload and kills it when
it runs past ``IMAGE_PROCESSING_SECONDS``, so no file keeps a web worker busy for long, however
it was made: Pillow reads a file's structure in Python, one block at a time, and libjpeg reads
every scan of a progressive JPEG, so work a small file can ask for is not all visible in its
header, and cannot be interrupted from inside the web process. The child also gets a memory
ceiling.

Before decoding a pixel, what the header declares is checked against the budget:

- one frame (the canvas) of at most ``max_pixels``;
- an animation decodes every frame onto the whole canvas, so frames × canvas pixels must stay
  within ``max_animation_pixels``, and there are at most ``max_frames`` frames. WebP and PNG
  declare their frame count; a GIF does not (counting means reading the whole file), so its
  first two frames are checked from the header and every further one as it is reached, before
  it is decoded. A GIF frame may also be larger than the canvas it declares, and then enlarges
  it: the size that counts is the one known when the frame is reached;
- a JPEG has at most ``max_jpeg_scans`` scans (libjpeg decodes each scan of a progressive JPEG
  over the whole image: a thousand repeated scans cost a thousand decodes).

Re-encoding keeps the pixels and what showing them needs, and nothing else. What the decoder
read besides pixels (``Image.info``) is dropped but for ``KEEP``: a GIF is written back with
its frame durations, loop count and transparency, and without comments, XMP or any
application extension but NETSCAPE2.0 (the loop count); JPEG comments and EXIF go too.

Protocol: the limits as JSON in ``argv[1]``, the file on stdin; on stdout, one line of JSON
(``{"format", "width", "height", "frames"}``, or ``{"refused": message}``) and then the
re-encoded bytes. It imports Pillow and the standard library only, so it starts in about a
tenth of a second.
"""

import io
import json
import resource
import sys
import traceback
import warnings

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]
# What Pillow reads besides pixels and what re-encoding keeps of it: transparency and the
# colour profile for any image; durations, loop count and background colour for animations.
KEEP = {"transparency", "icc_profile"}
KEEP_ANIMATION = KEEP | {"duration", "loop", "background"}
SAVE_OPTIONS = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}
NOT_AN_IMAGE = "This is not a JPEG, PNG, WebP or GIF image (or it is damaged)."
# The marker that starts a JPEG scan. It cannot occur inside compressed data (a 0xFF there
# is always followed by 0x00), so counting it never misses a scan; metadata may add a few.
START_OF_SCAN = b"\xff\xda"


class Refused(Exception):
    """The file is not accepted; the message says why, for the author."""


def megapixels(pixels):
    return f"{pixels / 1_000_000:g} megapixels"


def reencode(data, limits):
    """The image in ``data`` re-encoded: ``(description, bytes)``. Raises Refused."""
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            # Some cameras save JPEGs with further pictures after the first (MPO): the first
            # is the photo, and the only one kept.
            image_format = "JPEG" if image.format == "MPO" else image.format
            check_declared(image, image_format, data, limits)
            if image_format != "JPEG" and getattr(image, "is_animated", False):
                frames, options = animation_frames(image, limits)
                first = frames[0]
            else:
                first, options = still(image, image_format), SAVE_OPTIONS.get(image_format, {})
                frames = [first]
            output = io.BytesIO()
            first.save(output, format=image_format, **options)
    except Image.DecompressionBombError as error:
        # Pillow refuses to go on: a frame declaring more than twice the limit.
        raise Refused(
            f"The image declares far more pixels than the limit of "
            f"{megapixels(limits['max_pixels'])}, so it was not opened."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise Refused(NOT_AN_IMAGE) from error
    width, height = first.size
    description = {"format": image_format, "width": width, "height": height}
    return {**description, "frames": len(frames)}, output.getvalue()


def check_declared(image, image_format, data, limits):
    """Refuse what the header already shows to be too much to decode."""
    width, height = image.size
    if width * height > limits["max_pixels"]:
        raise Refused(
            f"The image is {width}×{height} pixels; the limit is "
            f"{megapixels(limits['max_pixels'])}."
        )
    if image_format == "JPEG":
        scans = data.count(START_OF_SCAN)
        if scans > limits["max_jpeg_scans"]:
            raise Refused(
                f"This JPEG is saved in {scans} passes (scans); at most "
                f"{limits['max_jpeg_scans']} are accepted, and photos have 1 to about 10. "
                "Save it again from an image editor."
            )
        return
    if not getattr(image, "is_animated", False):
        return
    # A GIF's frames are counted as they come (animation_frames); two there are.
    frames = 2 if image_format == "GIF" else image.n_frames
    check_animation(frames, width, height, limits, exact=image_format != "GIF")


def check_animation(frames, width, height, limits, exact=True):
    at_least = "" if exact else "at least "
    if frames > limits["max_frames"]:
        raise Refused(
            f"The animation has {at_least}{frames} frames; the limit is {limits['max_frames']}."
        )
    if frames * width * height > limits["max_animation_pixels"]:
        raise Refused(
            f"The animation has {at_least}{frames} frames of {width}×{height} pixels, "
            f"{megapixels(frames * width * height)} to decode; an animation may decode "
            f"{megapixels(limits['max_animation_pixels'])} across all its frames. "
            "Make it smaller or shorter."
        )


def still(image, image_format):
    image = ImageOps.exif_transpose(image)  # a copy, upright, with every pixel decoded
    image.info = {key: value for key, value in image.info.items() if key in KEEP}
    if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    return image


def animation_frames(image, limits):
    """Every frame, decoded within the budget, and the options that write them back."""
    frames, durations, disposals = [], [], []
    for index, frame in enumerate(ImageSequence.Iterator(image)):
        # Reached but not yet decoded: a GIF frame may have just enlarged the canvas.
        width, height = frame.size
        if width * height > limits["max_pixels"]:
            raise Refused(
                f"The animation's frames are {width}×{height} pixels; the limit is "
                f"{megapixels(limits['max_pixels'])}."
            )
        check_animation(index + 1, width, height, limits, exact=False)
        copy = frame.copy()
        copy.info = {key: value for key, value in frame.info.items() if key in KEEP_ANIMATION}
        frames.append(copy)
        durations.append(frame.info.get("duration", 0))
        disposals.append(getattr(frame, "disposal_method", 0))
    options = {"save_all": True, "append_images": frames[1:], "duration": durations}
    if image.format == "GIF":
        # How each frame is cleared before the next: without it, a transparent pixel
        # cannot replace an opaque one, and moving shapes leave trails.
        options["disposal"] = disposals
    if image.info.get("loop") is not None:  # a GIF without a loop count plays once
        options["loop"] = image.info["loop"]
    return frames, options


def main():
    limits = json.loads(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory_bytes"], limits["memory_bytes"]))
    # Pillow's own guard, at our limit: twice it, and Pillow refuses to open the file.
    Image.MAX_IMAGE_PIXELS = limits["max_pixels"]
    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
    data = sys.stdin.buffer.read()
    output = b""
    try:
        description, output = reencode(data, limits)
    except Refused as refusal:
        description = {"refused": str(refusal)}
    except MemoryError:
        description = {"refused": "The image needs too much memory to decode."}
    except Exception:  # a Pillow failure on a file that opened: refused, never a server error
        traceback.print_exc()
        description = {"refused": NOT_AN_IMAGE}
    sys.stdout.buffer.write(json.dumps(description).encode() + b"\n" + output)


if __name__ == "__main__":
    main()
