"""Captioned figures may span the page (docs/design.md), so their pictures say so in ``sizes``."""

import pytest

from blog.rendering import render_markdown
from core.images.pictures import ARTICLE_SIZES, FIGURE_SIZES

from .test_picture import upload

pytestmark = pytest.mark.django_db


def test_a_captioned_upload_offers_its_renditions_for_the_page_width(media_root):
    src = upload(media_root, size=(1600, 800))
    figure = render_markdown(f'![A chart]({src} "Hiring by quarter")')
    inline = render_markdown(f"![A chart]({src})")
    assert figure.count(f'sizes="{FIGURE_SIZES}"') == 2  # the <source> and the <img>
    assert ARTICLE_SIZES not in figure
    assert inline.count(f'sizes="{ARTICLE_SIZES}"') == 2 and FIGURE_SIZES not in inline
