"""What the media library knows about a stored image's file: its pixels, bytes and hash.

One function, ``measure``, for every image the library lists: the editor's upload (the clean
bytes about to be stored) and an image already in storage (its bytes read through the storage
API, never a path, by ``measure_stored``). The bytes are always ones our checks wrote
(``core.images.uploads.clean``), so only the header is read: nothing is decoded here.
"""

import hashlib
import io
from typing import NamedTuple

from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from core.images.uploads import ALLOWED_FORMATS


class Measured(NamedTuple):
    width: int | None  # None: the bytes are not an image Pillow can name
    height: int | None
    size: int  # bytes
    sha256: str  # hex; the same clean bytes, the same hash: how duplicates are found


def measure(data):
    """Width and height (from the header), byte size and SHA-256 of an image's bytes."""
    width = height = None
    try:
        with Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS)) as opened:
            width, height = opened.size
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        pass
    return Measured(width, height, len(data), hashlib.sha256(data).hexdigest())


def measure_stored(name, storage=default_storage):
    """``measure`` of the file ``name`` in ``storage``; None when it is not there."""
    try:
        with storage.open(name, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return measure(data)
