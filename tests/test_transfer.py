"""manage.py import: Jekyll and Hugo sites written from their documentation, through one pipeline.

The fixtures are built in tmp_path from the examples of jekyllrb.com (posts, front matter,
permalinks, includes, Liquid tags) and gohugo.io (front matter formats, page bundles,
shortcodes, aliases).
"""

import io
import textwrap

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Author, BodyImage, OldSlug, Post, Tag
from tests.conftest import image_bytes
from transfer.pipeline import Pipeline, make_slug, removed_elements
from transfer.sources import Report, SourcePost

pytestmark = pytest.mark.django_db


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def failing_import(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import", *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue() + str(raised.value)


@pytest.fixture
def jekyll_site(tmp_path):
    site = tmp_path / "myblog"
    write(
        site / "_config.yml",
        """
        title: My Blog
        baseurl: ""
        timezone: Europe/Paris
        author: Jane Doe
    """,
    )
    write(site / "assets" / "images" / "diagram.png", image_bytes("PNG"))
    write(site / "images" / "cover.jpg", image_bytes("JPEG"))
    # jekyllrb.com/docs/posts: the file name gives the date and the slug.
    write(
        site / "_posts" / "2014-05-01-welcome-to-jekyll.markdown",
        """
        ---
        layout: post
        title:  "Welcome to Jekyll!"
        categories: jekyll update
        tags: [Getting Started]
        excerpt: "Your first post."
        image: /images/cover.jpg
        redirect_from:
          - /old/welcome/
        ---
        You'll find this post in your `_posts` directory.

        ![A diagram]({{ site.baseurl }}/assets/images/diagram.png)

        {% highlight ruby %}
        def print_hi(name)
          puts "Hi, #{name}"
        end
        {% endhighlight %}

        Read [the next one]({% post_url 2014-06-02-second-post %}).

        {% include youtube.html id="dQw4w9WgXcQ" %}

        {% assign greeting = "hi" %}
    """,
    )
    write(
        site / "_posts" / "2014-06-02-second-post.md",
        """
        ---
        title: Second post
        date: 2014-06-02 10:00:00 +0200
        category: Notes
        tags: ruby jekyll
        permalink: /blog/second/
        ---
        A second post with an <iframe src="https://example.com/x"></iframe> and a
        {% gist parkr/931c1c8d465a04042403 %}.
    """,
    )
    write(
        site / "_drafts" / "a-draft-post.md",
        """
        ---
        title: Not yet
        ---
        Unfinished.
    """,
    )
    return site


@pytest.fixture
def hugo_site(tmp_path):
    site = tmp_path / "hugosite"
    write(
        site / "hugo.toml",
        """
        baseURL = "https://example.org/"
        title = "My Hugo site"
        [permalinks]
          notes = "/:year/:month/:slug/"
    """,
    )
    write(site / "static" / "images" / "sunset.jpg", image_bytes("JPEG"))
    write(site / "content" / "_index.md", "---\ntitle: Home\n---\nWelcome.\n")
    write(site / "content" / "posts" / "_index.md", "+++\ntitle = 'Posts'\n+++\n")
    # gohugo.io/content-management/front-matter: TOML, with keys in any case.
    write(
        site / "content" / "posts" / "toml-post.md",
        """
        +++
        Title = "A TOML post"
        Date = 2023-10-01T09:30:00-07:00
        lastmod = 2023-10-02
        Tags = ["Go", "hugo"]
        categories = ["Code"]
        Description = "Front matter in TOML."
        aliases = ["/old/toml-post/"]
        images = ["/images/sunset.jpg"]
        +++
        {{< youtube id="0RKpf3rK57I" title="A talk" >}}

        {{< highlight go "linenos=table" >}}
        package main
        {{< /highlight >}}

        See {{< ref "json-post" >}} and [the bundle]({{< relref "posts/my-bundle/index.md" >}}).

        {{< notice warning >}}
        Careful.
        {{< /notice >}}

        {{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}
    """,
    )
    write(
        site / "content" / "posts" / "json-post.md",
        """
        {
          "title": "A JSON post",
          "date": "2023-11-01T10:00:00+01:00",
          "draft": true,
          "tags": ["json"]
        }
        Body of the JSON post with {{< vimeo 146022717 >}} and {{< gist spf13 7896402 >}}.
    """,
    )
    # gohugo.io/content-management/page-bundles: a leaf bundle with its image beside it.
    bundle = site / "content" / "posts" / "my-bundle"
    write(
        bundle / "index.md",
        """
        ---
        title: "A page bundle"
        date: 2024-01-15T08:00:00+00:00
        summary: "Images live beside the post."
        cover:
          image: "cover.png"
          alt: "A cover"
        url: /2024/a-bundle.html
        ---
        {{< figure src="photo.jpg" caption="The photo" attr="Jane" >}}

        ![Inline](photo.jpg)
    """,
    )
    write(bundle / "cover.png", image_bytes("PNG"))
    write(bundle / "photo.jpg", image_bytes("JPEG"))
    write(
        site / "content" / "notes" / "a-note.md",
        """
        ---
        title: "Ein Notiz"
        slug: a-note
        date: 2024-03-05
        ---
        A note.
    """,
    )
    return site


# --- Jekyll ------------------------------------------------------------------------------


def test_jekyll_site_imports_with_dates_tags_images_and_redirects(jekyll_site, client):
    output = run_import(jekyll_site)
    assert "3 created" in output and "0 failed" in output

    welcome = Post.objects.get(slug="welcome-to-jekyll")
    assert welcome.title == "Welcome to Jekyll!"
    assert welcome.published_at.isoformat().startswith("2014-04-30T22:00")  # Paris midnight
    assert {t.name for t in welcome.tags.all()} == {"jekyll", "update", "Getting Started"}
    assert welcome.description == "Your first post."
    assert welcome.author.name == "Jane Doe"
    assert welcome.featured_image.name.startswith("post/")
    assert "```ruby" in welcome.body and "(post:second-post)" in welcome.body
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in welcome.body
    assert "{% assign greeting" in welcome.body  # left visible, and reported
    assert "Liquid left as written" in output

    page = client.get(welcome.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "<picture" in html and BodyImage.objects.count() == 1
    assert 'href="/blog/second-post/"' in html

    second = Post.objects.get(slug="second-post")
    assert second.published_at.utcoffset() is not None
    assert second.published_at.isoformat().startswith("2014-06-02T08:00")
    assert {t.name for t in second.tags.all()} == {"Notes", "ruby", "jekyll"}
    assert "removes <iframe>" in output
    assert Post.objects.get(slug="a-draft-post").status == Post.Status.DRAFT

    # The default permalink (/:categories/:year/:month/:day/:title.html), redirect_from
    # and a post's own permalink all answer with a redirect to the post.
    for old in ["/jekyll/update/2014/05/01/welcome-to-jekyll.html", "/old/welcome/"]:
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == "/blog/welcome-to-jekyll/"
    assert client.get("/blog/second/")["Location"] == "/blog/second-post/"


def test_reimporting_changes_nothing_and_is_fast(jekyll_site):
    with CaptureQueriesContext(connection) as first:
        run_import(jekyll_site)
    before = dict(Post.objects.values_list("slug", "updated_at"))
    counts = (Redirect.objects.count(), BodyImage.objects.count(), Tag.objects.count())
    with CaptureQueriesContext(connection) as queries:
        output = run_import(jekyll_site)
    assert "0 created, 0 updated, 3 unchanged" in output
    assert dict(Post.objects.values_list("slug", "updated_at")) == before
    assert (Redirect.objects.count(), BodyImage.objects.count(), Tag.objects.count()) == counts
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert len(queries) < len(first) / 3


def test_a_changed_post_is_updated_alone(jekyll_site):
    run_import(jekyll_site)
    before = dict(Post.objects.values_list("slug", "updated_at"))
    file = jekyll_site / "_posts" / "2014-06-02-second-post.md"
    file.write_text(file.read_text().replace("A second post", "A changed post"))
    output = run_import(jekyll_site)
    assert "0 created, 1 updated, 2 unchanged" in output
    after = dict(Post.objects.values_list("slug", "updated_at"))
    assert after["second-post"] > before["second-post"]
    assert after["welcome-to-jekyll"] == before["welcome-to-jekyll"]


def test_dry_run_writes_nothing_and_reports_everything(jekyll_site, media_root):
    output = run_import(jekyll_site, "--dry-run")
    assert "3 would be created" in output and "removes <iframe>" in output
    assert Post.objects.count() == Tag.objects.count() == Author.objects.count() == 0
    assert Redirect.objects.count() == 0
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_a_folder_of_nothing_says_what_was_looked_for(tmp_path):
    (tmp_path / "site" / "_posts").mkdir(parents=True)
    write(tmp_path / "site" / "_posts" / "notes.txt", "not a post")
    output = failing_import(tmp_path / "site")
    assert "no posts found: looked for Markdown files" in output
    assert ".markdown" in output


def test_a_missing_image_is_a_note_not_a_refusal(jekyll_site):
    (jekyll_site / "assets" / "images" / "diagram.png").unlink()
    output = run_import(jekyll_site)
    assert "0 failed" in output
    assert "image not found: /assets/images/diagram.png" in output


def test_a_hand_made_redirect_is_never_clobbered(jekyll_site):
    from django.contrib.sites.models import Site

    Redirect.objects.create(site=Site.objects.get_current(), old_path="/old/welcome/",
                            new_path="/about/")  # fmt: skip
    output = run_import(jekyll_site)
    assert Redirect.objects.get(old_path="/old/welcome/").new_path == "/about/"
    assert "a redirect made by hand" in output


# --- Hugo --------------------------------------------------------------------------------


def test_hugo_site_imports_toml_json_yaml_and_bundles(hugo_site, client):
    output = run_import(hugo_site, "--author", "Sam Writer")
    assert "4 created" in output and "0 failed" in output
    assert "_index.md" in output and "list page" in output
    assert Author.objects.get().name == "Sam Writer"

    toml = Post.objects.get(slug="toml-post")
    assert toml.title == "A TOML post" and toml.description == "Front matter in TOML."
    assert toml.published_at.isoformat().startswith("2023-10-01T16:30")
    assert {t.name for t in toml.tags.all()} == {"Go", "hugo", "Code"}
    assert toml.featured_image
    assert "youtube-nocookie.com/embed/0RKpf3rK57I" in toml.body
    assert "```go\npackage main\n```" in toml.body
    assert "post:json-post" in toml.body and "(post:my-bundle)" in toml.body
    assert "{{< notice warning >}}" in toml.body and "shortcode left as written" in output
    assert "twitter.com/SanDiegoZoo/status/1453110110599868418" in toml.body
    assert "'lastmod' not imported" in output

    assert Post.objects.get(slug="json-post").status == Post.Status.DRAFT
    bundle = Post.objects.get(slug="my-bundle")
    assert bundle.featured_image and bundle.featured_image_alt == "A cover"
    page = client.get(bundle.get_absolute_url()).content.decode()
    assert "<picture" in page and "The photo" in page and "Jane" in page

    assert client.get("/old/toml-post/")["Location"] == "/blog/toml-post/"
    assert client.get("/posts/toml-post/")["Location"] == "/blog/toml-post/"
    assert client.get("/2024/a-bundle.html")["Location"] == "/blog/my-bundle/"
    assert client.get("/2024/03/a-note/")["Location"] == "/blog/a-note/"

    again = run_import(hugo_site, "--author", "Sam Writer")
    assert "0 created, 0 updated, 4 unchanged" in again


def test_posts_without_author_and_no_default_say_what_to_do(hugo_site):
    Author.objects.create(name="One", slug="one")
    Author.objects.create(name="Two", slug="two")
    output = failing_import(hugo_site)
    assert "--author" in output


# --- the pipeline ------------------------------------------------------------------------


def source(origin, **fields):
    return SourcePost(origin=origin, title=fields.pop("title", origin), body="Words.", **fields)


def test_one_transaction_per_post(monkeypatch):
    Author.objects.create(name="A", slug="a")
    pipeline = Pipeline(Report())
    real = pipeline.save_post

    def failing(existing, fields, *args):
        if fields["slug"] == "bad":
            Post.objects.bulk_create([Post(title="half", slug="half", author=fields["author"])])
            raise RuntimeError("disk full")
        return real(existing, fields, *args)

    monkeypatch.setattr(pipeline, "save_post", failing)
    report = pipeline.run([source("/x/good.md", slug="good", tags=["T"]),
                           source("/x/bad.md", slug="bad", tags=["New tag"])])  # fmt: skip
    assert set(Post.objects.values_list("slug", flat=True)) == {"good"}
    assert "disk full" in report.problems["/x/bad.md"][0]
    assert not Tag.objects.filter(name="New tag").exists()


def test_every_problem_of_a_post_at_once_and_clashes_name_both_paths():
    Author.objects.create(name="A", slug="a")
    report = Pipeline(Report()).run([
        SourcePost(origin="/site/one.md", title="x" * 201, body="", slug="same"),
        source("/site/sub/two.md", slug="same"),
    ])  # fmt: skip
    problems = report.problems["/site/one.md"]
    assert len(problems) == 3  # no body, too-long title, the clash
    assert any("/site/sub/two.md" in p for p in problems)
    assert any("/site/one.md" in p for p in report.problems["/site/sub/two.md"])


def test_titles_without_latin_letters_get_a_transliterated_slug():
    assert make_slug("日本語のタイトル") == "ribenyunotaitoru"
    assert make_slug("مرحبا بالعالم")
    Author.objects.create(name="A", slug="a")
    report = Pipeline(Report()).run([source("/x/ja.md", title="日本語のタイトル")])
    assert not report.problems
    assert Post.objects.get().slug == "ribenyunotaitoru"


def test_removed_elements_are_named_but_code_is_not():
    body = "<iframe></iframe>\n<video src=x></video> <audio></audio>\n\n```\n<script>\n```\n"
    body += "`<form>`"
    assert removed_elements(body) == {"iframe": 1, "video": 1, "audio": 1}


def test_old_slugs_become_old_slug_rows(client):
    Author.objects.create(name="A", slug="a")
    Pipeline(Report()).run([source("/x/p.md", slug="new-name", old_slugs=["old-name"])])
    assert OldSlug.objects.get().slug == "old-name"
    assert client.get("/blog/old-name/")["Location"] == "/blog/new-name/"


# --- the site's own format ------------------------------------------------------------------


def test_the_sites_own_export_imports_through_the_pipeline(tmp_path, client):
    source = tmp_path / "mine"
    write(source / "authors" / "alex.md", "---\nname: Alex Navarro\nslug: alex\n---\nWrites.\n")
    write(
        source / "posts" / "hello.md",
        """
        ---
        title: Hello
        slug: hello
        date: '2026-04-24T09:00:00+02:00'
        description: The lede.
        author: alex
        tags: [Hiring, AI engineering]
        faq:
        - q: Why?
          a: Because.
        ---
        The body.
    """,
    )
    write(
        source / "posts" / "other.md",
        """
        ---
        title: Other
        author: alex
        keep_reading: [hello]
        categories: [x]
        ---
        Body.
    """,
    )
    output = failing_import(source)
    assert "as Site" in output
    assert "unknown key 'categories': use tags" in output
    other = source / "posts" / "other.md"
    other.write_text(other.read_text().replace("categories: [x]\n", ""))
    output = run_import(source)
    assert "1 created, 0 updated, 1 unchanged" in output  # hello landed in the first run
    hello = Post.objects.get(slug="hello")
    assert hello.author.name == "Alex Navarro" and hello.faq_items.get().answer == "Because."
    curated = Post.objects.get(slug="other").keep_reading_links.curated()
    assert [link.target.slug for link in curated] == ["hello"]
    assert client.get("/blog/hello/").status_code == 200
    assert "0 created, 0 updated, 2 unchanged" in run_import(source)


def test_jekyll_permalink_styles_and_baseurl(tmp_path, client):
    site = tmp_path / "blog"
    write(site / "_config.yml", "---\npermalink: pretty\nbaseurl: /blog-old\n")
    write(site / "_posts" / "2020-02-03-hello-world.md", "---\ncategories: [News]\n---\nHi.\n")
    run_import(site, "--author", "Jo")
    assert Post.objects.get().title == "Hello World"  # from the file name, as Jekyll does
    response = client.get("/blog-old/news/2020/02/03/hello-world/")
    assert response.status_code == 301 and response["Location"] == "/blog/hello-world/"


def test_liquid_raw_and_unknown_tags_stay_visible():
    from transfer.jekyll import convert_liquid

    body, notes = convert_liquid(
        "{% raw %}{{ kept }}{% endraw %} and {{ page.date }} inline.\n\n{% capture x %}\n"
    )
    assert body.startswith("{{ kept }} and `{{ page.date }}` inline.")
    assert "```text\n{% capture x %}\n```" in body
    assert sum("left as written" in note for note in notes) == 2
