"""schema.org JSON-LD for the site owner."""


def person(site, request):
    """The owner as a Person, on a ProfilePage, with profiles elsewhere as sameAs."""
    owner = site.owner
    about_url = request.build_absolute_uri("/about/")
    same_as = [link.url for link in site.owner_links] + [p.url for p in site.profiles]
    if owner.website:
        same_as.insert(0, owner.website)
    node = {
        "@type": "Person",
        "@id": f"{about_url}#person",
        "name": owner.name,
        "url": about_url,
        "sameAs": list(dict.fromkeys(same_as)),
    }
    if owner.role:
        node["jobTitle"] = owner.role
    if owner.avatar:
        # The largest rendition: a reasonable size, and a format search engines read.
        node["image"] = request.build_absolute_uri(owner.portrait_url)
    return {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "ProfilePage", "url": about_url, "mainEntity": {"@id": node["@id"]}},
            node,
        ],
    }
