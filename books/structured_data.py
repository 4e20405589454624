"""schema.org JSON-LD for the Books pages, as plain dictionaries ready for ``{% json_ld %}``."""

from django.urls import reverse


def author_node(site, request):
    """The site owner as the books' author: the same Person (same @id) the About page describes."""
    if not site.owner:
        return None
    about_url = request.build_absolute_uri(reverse("pages:about"))
    return {
        "@type": "Person",
        "@id": f"{about_url}#person",
        "name": site.owner.name,
        "url": about_url,
    }


def book_node(book, request, site):
    """A Book. Buy links are ``sameAs``: shop pages that identify the book.

    They are not ``offers``: an Offer without price and availability, which the site does
    not keep, is reported as an error by search engines' validators.
    """
    url = request.build_absolute_uri(book.get_absolute_url())
    node = {"@type": "Book", "@id": f"{url}#book", "name": book.title, "url": url}
    if book.subtitle:
        # schema.org has no "subtitle"; a CreativeWork's secondary title is this.
        node["alternativeHeadline"] = book.subtitle
    description = book.description_text or book.summary
    if description:
        node["description"] = description
    if book.isbn:
        node["isbn"] = book.isbn_compact
    if book.published_on:
        node["datePublished"] = book.published_on.isoformat()
    if book.cover:
        node["image"] = request.build_absolute_uri(book.cover.url)
    author = author_node(site, request)
    if author:
        node["author"] = author
    links = [link.url for link in book.buy_links.all()]
    if links:
        node["sameAs"] = links
    return node


def book_graph(book, request, site):
    """The book page: the Book and its breadcrumb trail."""
    url = request.build_absolute_uri(book.get_absolute_url())
    index_url = request.build_absolute_uri(reverse("books:index"))
    return {
        "@context": "https://schema.org",
        "@graph": [
            book_node(book, request, site),
            {
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Books", "item": index_url},
                    {"@type": "ListItem", "position": 2, "name": book.title, "item": url},
                ],
            },
        ],
    }


def book_list_graph(books, request):
    """The Books page as an ItemList of the book pages, in the page's order."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "url": request.build_absolute_uri(reverse("books:index")),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": index,
                "url": request.build_absolute_uri(book.get_absolute_url()),
                "name": book.title,
            }
            for index, book in enumerate(books, start=1)
        ],
    }
