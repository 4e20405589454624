"""schema.org JSON-LD for blog pages, as plain dictionaries ready to serialize."""

from .rendering import html_to_text


def post_graph(post, request, faq_items):
    """The article's BlogPosting, its breadcrumb trail and, with an FAQ, an FAQPage."""
    url = request.build_absolute_uri(post.get_absolute_url())
    blog_url = request.build_absolute_uri("/blog/")
    posting = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "headline": post.title,
        "description": post.description,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.updated_at.isoformat(),
        "author": {"@type": "Person", "name": post.author.name},
        "wordCount": post.word_count,
        "timeRequired": f"PT{post.reading_minutes}M",
        "keywords": [tag.name for tag in post.tags.all()],
    }
    if post.author.website:
        posting["author"]["url"] = post.author.website
    if post.featured_image:
        posting["image"] = request.build_absolute_uri(post.featured_image.url)
    graph = [
        posting,
        {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Blog", "item": blog_url},
                {"@type": "ListItem", "position": 2, "name": post.title, "item": url},
            ],
        },
    ]
    if faq_items:
        graph.append(
            {
                "@type": "FAQPage",
                "@id": f"{url}#faq",
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": item.question,
                        "acceptedAnswer": {
                            "@type": "Answer",
                            "text": html_to_text(item.answer_html),
                        },
                    }
                    for item in faq_items
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}
