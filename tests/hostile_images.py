"""Images made to hurt, for the upload tests, and a reader of a GIF's blocks to check output.

Decode bombs cost little to send and much to decode (issue 14, item 3); payload carriers are
real images with a script in a comment, an extension or a polyglot header (item 4). Each is
built here with Pillow and a few bytes of the GIF or JPEG structure, so nothing binary is
checked in.
"""

import io
import struct
from typing import NamedTuple

from PIL import Image

SCRIPT = b"<script>alert(1)</script>"

# GIF structure (GIF89a specification): blocks after the logical screen.
GIF_IMAGE, GIF_EXTENSION, GIF_TRAILER = 0x2C, 0x21, 0x3B
GIF_COMMENT, GIF_APPLICATION, GIF_GRAPHIC_CONTROL = 0xFE, 0xFF, 0xF9


class GifBlock(NamedTuple):
    kind: int  # GIF_IMAGE or GIF_EXTENSION
    label: int | None  # an extension's label
    data: bytes  # an extension's sub-blocks, joined
    start: int
    end: int  # data[start:end] is the whole block, as it is in the file


def _color_table(flags):
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _sub_blocks(data, pos):
    parts = []
    while data[pos]:
        parts.append(data[pos + 1 : pos + 1 + data[pos]])
        pos += data[pos] + 1
    return b"".join(parts), pos + 1


def gif_blocks(data):
    """The blocks of a well-formed GIF, in order, up to the trailer."""
    assert data[:6] in {b"GIF87a", b"GIF89a"}, data[:6]
    pos = 13 + _color_table(data[10])
    blocks = []
    while data[pos] != GIF_TRAILER:
        start = pos
        if data[pos] == GIF_EXTENSION:
            label = data[pos + 1]
            body, pos = _sub_blocks(data, pos + 2)
            blocks.append(GifBlock(GIF_EXTENSION, label, body, start, pos))
        else:
            assert data[pos] == GIF_IMAGE, (pos, data[pos])
            pos += 10 + _color_table(data[pos + 9]) + 1  # descriptor, colours, LZW code size
            _, pos = _sub_blocks(data, pos)
            blocks.append(GifBlock(GIF_IMAGE, None, b"", start, pos))
    return blocks


def gif_header_end(data):
    return 13 + _color_table(data[10])


def extension(label, payload):
    chunks = [payload[i : i + 255] for i in range(0, len(payload), 255)]
    return bytes([GIF_EXTENSION, label]) + b"".join(bytes([len(c)]) + c for c in chunks) + b"\0"


def gif(frames, **options):
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=len(frames) > 1, append_images=frames[1:], **options)
    return buffer.getvalue()


def two_colour_frames(count, size):
    """Black and white frames in turn (Pillow merges identical neighbours when it saves)."""
    frames = [Image.new("P", size, i % 2) for i in range(count)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 255, 255])
    return frames


def issue_14_gif_bomb():
    """11 frames of 6,000×6,000: 396 Mpx, under the old budget, about 300 KB on the wire."""
    return gif(two_colour_frames(11, (6000, 6000)))


def gif_growing_frames(screen=100, side=3000, count=11):
    """A GIF that declares a small canvas, then frames far larger than it.

    Pillow enlarges the canvas when it reaches such a frame, so a header of 100×100 can hide
    frames of 3,000×3,000: a budget read from the header alone misses them.
    """
    small = gif([Image.new("P", (screen, screen), 0)], transparency=0)
    large = gif([Image.new("P", (side, side), 1)])
    (first,) = [b for b in gif_blocks(small) if b.kind == GIF_IMAGE]
    (big,) = [b for b in gif_blocks(large) if b.kind == GIF_IMAGE]
    frames = [small[first.start : first.end]] + [large[big.start : big.end]] * (count - 1)
    return small[: gif_header_end(small)] + b"".join(frames) + b";"


def gif_with_many_frames(count):
    """``count`` tiny frames, each different: cheap in pixels, costly in frames."""
    frames = []
    for i in range(count):
        frame = Image.new("P", (2, 2))
        frame.putpalette(bytes(range(256)) * 3)
        frame.putpixel((0, 0), i % 256)
        frame.putpixel((1, 1), i // 256 % 256)
        frames.append(frame)
    return gif(frames, optimize=False)


def jpeg_scan_bomb(size=(2000, 1500), repeats=200):
    """A progressive JPEG whose last scan is repeated: libjpeg decodes the image each time.

    A few kilobytes more than the photo, and decoding takes ``repeats`` times as long
    (4,000×3,000 with 1,000 repeats: about 10 s, where the plain file takes 0.03 s).
    """
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 130, 140)).save(buffer, "JPEG", progressive=True, quality=90)
    data = buffer.getvalue()
    last_scan, end = data.rindex(b"\xff\xda"), data.rindex(b"\xff\xd9")
    return data[:end] + data[last_scan:end] * repeats + data[end:]


# Payload carriers ------------------------------------------------------------------------


def gif_with_comment(comment=SCRIPT, animated=False):
    frames = two_colour_frames(3 if animated else 1, (40, 30))
    return gif(frames, comment=comment, **({"duration": 100, "loop": 0} if animated else {}))


def gif_with_xmp(payload=SCRIPT):
    """An XMP packet in its application extension ("XMP DataXMP"), as Photoshop writes."""
    data = gif([Image.new("P", (40, 30), 1)])
    packet = extension(GIF_APPLICATION, b"XMP DataXMP" + b"<x:xmpmeta>" + payload + b"</x:xmpmeta>")
    end = gif_header_end(data)
    return data[:end] + packet + data[end:]


def gif_js_polyglot():
    """A GIF that is also JavaScript: ``GIF89a/*…*/=alert(1)//``.

    The width's two bytes are ``/*`` (10,799 pixels wide, one high), a comment block closes
    the JavaScript comment and assigns, and what follows the trailer ends it. Loaded with
    ``<script src>``, it runs on a site that serves it as script.
    """
    data = bytearray(gif([Image.new("P", (8, 1), 1)]))
    data[:6] = b"GIF89a"
    data[6:8] = b"/*"
    end = gif_header_end(data)
    payload = extension(GIF_COMMENT, b"*/=alert(1);/*")
    return bytes(data[:end]) + payload + bytes(data[end:]) + b"*/"


def jpeg_with_comment(comment=SCRIPT):
    """A JPEG with a COM segment right after its start: the comment every reader shows."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "JPEG")
    data = buffer.getvalue()
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + data[2:]


def assert_no_payload(data):
    """The stored bytes carry none of the payloads above, and a GIF only animation blocks."""
    assert SCRIPT not in data and b"<script" not in data and b"alert(" not in data
    if data[:3] == b"GIF":
        # The comment extension's introducer and label: absent from these small files.
        assert b"\x21\xfe" not in data
        for block in gif_blocks(data):
            if block.kind == GIF_EXTENSION:
                assert block.label in {GIF_GRAPHIC_CONTROL, GIF_APPLICATION}, block
                if block.label == GIF_APPLICATION:
                    assert block.data[:11] == b"NETSCAPE2.0", block
