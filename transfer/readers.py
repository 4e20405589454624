"""Every source ``manage.py import`` reads, asked in turn which one a path is.

Order matters only where two could claim one folder: the most specific first. A new
reader is added here and nowhere else.
"""

from pathlib import Path

from .archive import ArchiveReader
from .ghost import GhostReader
from .hugo import HugoReader
from .jekyll import JekyllReader
from .medium import MediumReader
from .site_format import SiteFormatReader
from .substack import SubstackReader
from .wordpress import WordPressReader

# The site's own archive first: its manifest says what it is, whatever else it holds.
# Substack before Medium: both ship posts/*.html, only Substack a posts.csv. The site's own
# format wants posts/*.md, which no other export has.
READERS = [
    ArchiveReader(),
    JekyllReader(),
    HugoReader(),
    SiteFormatReader(),
    WordPressReader(),
    GhostReader(),
    SubstackReader(),
    MediumReader(),
]


def by_format(name):
    """The reader whose name is ``name`` (any case), or None."""
    return next((r for r in READERS if r.name.lower() == name.lower()), None)


def detect(path):
    """The first reader that recognises ``path``, or None."""
    path = Path(path)
    return next((reader for reader in READERS if reader.detect(path)), None)


def names():
    return [reader.name.lower() for reader in READERS]
