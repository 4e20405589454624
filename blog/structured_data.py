"""schema.org JSON-LD for blog pages: one linked @graph per page."""

from core.markdown.rendering import html_to_text


def website_node(site, base_url):
    return {
        "@type": "WebSite",
        "@id": f"{base_url}/#website",
        "url": f"{base_url}/",
        "name": site.site_name,
        "description": site.tagline,
    }


def person_node(author, request):
    """An author as a Person; the About page is the owner's home, others get an id of their own."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    same_as = ([author.website] if author.website else []) + [
        link.url for link in author.links.all()
    ]
    node = {
        "@type": "Person",
        "@id": f"{base_url}/#author-{author.slug}",
        "name": author.name,
        "sameAs": same_as,
    }
    if author.role:
        node["jobTitle"] = author.role
    if author.avatar:
        # The largest rendition: a reasonable size, and a format search engines read.
        node["image"] = request.build_absolute_uri(author.portrait_url)
    return node


def post_graph(post, request, site, share_image, faq_items):
    """The article's BlogPosting with its site, author, share image, breadcrumb trail and FAQ."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    url = request.build_absolute_uri(post.get_absolute_url())
    author = person_node(post.author, request)
    posting = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "headline": post.title,
        "description": post.summary,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "isPartOf": {"@id": f"{base_url}/#website"},
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.updated_at.isoformat(),
        "author": {"@id": author["@id"]},
        "wordCount": post.word_count,
        "timeRequired": f"PT{post.reading_minutes}M",
        "keywords": [tag.name for tag in post.tags.all()],
    }
    image = share_image or site.default_share_image
    if image:
        posting["image"] = request.build_absolute_uri(image.url)
    graph = [
        website_node(site, base_url),
        author,
        posting,
        {
            "@type": "BreadcrumbList",
            "@id": f"{url}#breadcrumb",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Blog", "item": f"{base_url}/blog/"},
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
