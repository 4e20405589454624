"""Helpers for the revision and draft tests: the post change form as the admin submits it."""

import re

from django.utils import timezone


def change_data(post, **overrides):
    """The change form of a saved post, with its current FAQ and keep-reading rows."""
    published = timezone.localtime(post.published_at) if post.published_at else None
    data = {
        "title": post.title,
        "slug": post.slug,
        "description": post.description,
        "body": post.body,
        "meta_description": post.meta_description,
        "canonical_url": post.canonical_url,
        "status": post.status,
        "published_at_0": published.strftime("%Y-%m-%d") if published else "",
        "published_at_1": published.strftime("%H:%M:%S") if published else "",
        "author": post.author_id,
        "tags": [tag.pk for tag in post.tags.all()],
        "featured_image_alt": post.featured_image_alt,
    }
    faq = list(post.faq_items.all())
    data.update({"faq_items-TOTAL_FORMS": len(faq), "faq_items-INITIAL_FORMS": len(faq)})
    for i, item in enumerate(faq):
        data.update(
            {
                f"faq_items-{i}-id": item.pk,
                f"faq_items-{i}-question": item.question,
                f"faq_items-{i}-answer": item.answer,
                f"faq_items-{i}-position": item.position,
            }
        )
    links = list(post.keep_reading_links.all())
    data.update(
        {
            "keep_reading_links-TOTAL_FORMS": len(links),
            "keep_reading_links-INITIAL_FORMS": len(links),
        }
    )
    for i, link in enumerate(links):
        data.update(
            {
                f"keep_reading_links-{i}-id": link.pk,
                f"keep_reading_links-{i}-target": link.target_id,
                f"keep_reading_links-{i}-position": link.position,
            }
        )
    data.update(overrides)
    return data


def change_url(post):
    return f"/admin/blog/post/{post.pk}/change/"


def without_marks(html):
    """A diff page's HTML without the word-level highlights, to assert on whole lines."""
    return html.replace("<mark>", "").replace("</mark>", "")


def opened_on_draft(client, post):
    """The hidden field of the change form as it opens on the post's pending draft (a form
    saved to ?draft=load without it is refused), to add to the data posted there."""
    html = client.get(change_url(post) + "?draft=load").content.decode()
    match = re.search(r'<input type="hidden" name="(_draft_form)" value="([^"]+)">', html)
    assert match, "the change form did not open on a draft"
    return {match[1]: match[2]}
