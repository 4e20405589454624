"""Synthetic published posts in bulk, for measuring the site at archive sizes it may reach.

``generate_posts(n)`` writes ``n`` posts that look like the real ones to every page and
query: a title and a lede, a multi-paragraph Markdown body with headings, lists, code and a
table, one to four tags from a pool, a published date spread over the past years, and a
search-index row. Rendering Markdown is the slow part of saving a post, so the bodies come
from a few variants rendered once each; every post then swaps its own topic word into
its variant's Markdown, HTML and indexed text. Rows go in with ``bulk_create``, which
skips ``save()`` and signals: whatever those keep up to date is written here directly
(reading time, the search index, tag listings) or refreshed at the end (the next
scheduled moment, the page cache's content version).
Link-preview cards and "keep reading" suggestions are left out: nothing a list page or
a feed shows depends on them.
"""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from blog import derivation, scheduling
from blog.models import Author, Post, Tag
from blog.tag_listings import TagListing
from core.http.page_cache import content_changed
from core.markdown.rendering import html_to_text
from search.indexing import document_fields
from search.models import SearchDocument

TAG_POOL = [
    "Leadership", "Hiring", "LLMs", "AI engineering", "Evaluation", "MLOps", "Strategy",
    "Data", "Product", "Career", "Teams", "Infrastructure", "Security", "Research",
]  # fmt: skip
TOPICS = [
    "retrieval", "evaluation", "onboarding", "roadmaps", "budgets", "latency", "prompts",
    "interviews", "dashboards", "labelling", "migrations", "pricing", "incidents", "agents",
    "feedback", "forecasting", "compliance", "caching", "staffing", "benchmarks",
]  # fmt: skip
OPENERS = [
    "What I learned about", "A field guide to", "Stop guessing about", "The quiet cost of",
    "Five questions on", "Notes on", "Getting serious about", "The case against naive",
    "How small teams handle", "A checklist for",
]  # fmt: skip
CLOSERS = [
    "in your first year", "before the board asks", "without a platform team",
    "at a mid-sized company", "when the budget is flat", "for the second model launch",
    "as the team doubles", "after the pilot",
]  # fmt: skip
SENTENCES = [
    "Most teams underestimate how much of the work is plumbing rather than modelling.",
    "Write down the decision, the owner and the date you will look at it again.",
    "A weekly review of twenty real examples beats a dashboard nobody opens.",
    "The first version should be boring enough that a new hire can run it on day one.",
    "Budget for the evaluation set before you budget for the model.",
    "If nobody can say what good looks like, the project is not ready to staff.",
    "Vendors are fine for undifferentiated layers; keep the parts that make you different.",
    "Measure latency at the ninety-ninth percentile, because that is what users remember.",
    "Every prompt change is a deploy and deserves the same review as code.",
    "Hire for judgment about data first and for framework experience second.",
    "The cheapest incident is the one a canary catches before customers do.",
    "Teams that share a glossary argue about the problem instead of the words.",
    "Small, reversible bets compound faster than one big platform rewrite.",
    "Put the cost per request next to the quality score on the same page.",
]  # fmt: skip
ASPECTS = ["basics", "trade-offs", "numbers", "people", "rollout"]
# Replaced per post in the Markdown, the HTML and the indexed text; plain letters, so
# rendering leaves it alone, and never in a heading, where it would change an anchor.
TOPIC_MARK = "zzqtopicqzz"
VARIANTS = 8


def body_variant(rng):
    """One Markdown body of about 600-1,100 words: sections, a list, code, a table."""
    parts = [paragraph(rng, lead=True)]
    for number in range(rng.randint(3, 4)):
        parts.append(f"## {rng.choice(OPENERS)} the {rng.choice(ASPECTS)} (part {number + 1})")
        parts.extend(paragraph(rng) for _ in range(rng.randint(1, 2)))
        kind = number % 4
        if kind == 0:
            parts.append("\n".join(f"- {rng.choice(SENTENCES)}" for _ in range(4)))
        elif kind == 1:
            parts.append("### A worked example\n\n" + paragraph(rng))
            parts.append(
                "```python\ndef score(examples, judge):\n"
                "    passed = sum(judge(example) for example in examples)\n"
                "    return passed / max(1, len(examples))\n```"
            )
        elif kind == 2:
            rows = [
                f"| {t} | {rng.randint(1, 9)} weeks | {rng.choice(['low', 'medium', 'high'])} |"
                for t in rng.sample(TOPICS, 4)
            ]
            parts.append("| Area | Effort | Risk |\n|---|---|---|\n" + "\n".join(rows))
        else:
            parts.append("\n".join(f"{i}. {rng.choice(SENTENCES)}" for i in range(1, 5)))
    parts.append("## What to do on Monday\n\n" + paragraph(rng))
    return "\n\n".join(parts) + "\n"


def paragraph(rng, lead=False):
    sentences = rng.sample(SENTENCES, rng.randint(4, 7))
    sentences.insert(
        1 if lead else rng.randrange(len(sentences)),
        f"This is about {TOPIC_MARK}, and the details matter.",
    )
    return " ".join(sentences)


class Variant:
    """A body rendered once: what every post built on it stores, topic word aside."""

    def __init__(self, markdown):
        self.body = markdown
        # Derived as a save derives a post without FAQ or featured image (blog.derivation).
        derived = derivation.derive(Post(body=markdown), faq=[])
        self.body_html, self.toc_html = derived.body_html, derived.toc_html
        self.text = html_to_text(self.body_html)
        self.word_count = derived.reading.word_count
        self.reading_minutes = derived.reading.minutes
        self.reading_time_breakdown = derived.reading.describe()


def pool_tags():
    """The tag pool, reusing tags the site already has under those names."""
    tags = []
    for name in TAG_POOL:
        tag = Tag.objects.filter(name=name).first()
        if tag is None:
            tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        tags.append(tag)
    return tags


def default_author():
    author = Author.objects.order_by("pk").first()
    if author is None:
        author = Author.objects.create(name="Sam Example", slug="sam-example")
    return author


def generate_posts(count, seed=0, batch_size=2000, years=12, progress=None):
    """Create ``count`` published posts (with search-index rows); returns how many."""
    rng = random.Random(seed)  # nosec B311 # made-up demo text, not security
    variants = [Variant(body_variant(rng)) for _ in range(VARIANTS)]
    tags = pool_tags()
    author = default_author()
    now = timezone.now()
    span = timedelta(days=365 * years).total_seconds()
    # Slugs carry a number past every existing id, so runs never collide with each other.
    first_number = (Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    PostTag = Post.tags.through
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        posts, chosen, words = [], [], []
        for number in range(first_number + done, first_number + done + size):
            variant = rng.choice(variants)
            topic = rng.choice(TOPICS)
            title = f"{rng.choice(OPENERS)} {topic} {rng.choice(CLOSERS)}"
            published_at = now - timedelta(seconds=rng.uniform(3600, span))
            posts.append(
                Post(
                    title=title,
                    slug=f"{slugify(title)[:180]}-{number}",
                    description=f"{rng.choice(SENTENCES)} A practical look at {topic}.",
                    body=variant.body.replace(TOPIC_MARK, topic),
                    body_html=variant.body_html.replace(TOPIC_MARK, topic),
                    toc_html=variant.toc_html,
                    show_toc=rng.random() < 0.3,
                    status=Post.Status.PUBLISHED,
                    published_at=published_at,
                    author=author,
                    word_count=variant.word_count,
                    reading_minutes=variant.reading_minutes,
                    reading_time_breakdown=variant.reading_time_breakdown,
                )
            )
            chosen.append(rng.sample(tags, rng.randint(1, 4)))
            words.append((variant, topic))
        with transaction.atomic():
            Post.objects.bulk_create(posts)
            PostTag.objects.bulk_create(
                PostTag(post_id=post.pk, tag_id=tag.pk)
                for post, post_tags in zip(posts, chosen, strict=True)
                for tag in post_tags
            )
            TagListing.objects.bulk_create(
                TagListing(post_id=post.pk, tag_id=tag.pk, status=post.status,
                           published_at=post.published_at)
                for post, post_tags in zip(posts, chosen, strict=True)
                for tag in post_tags
            )  # fmt: skip
            SearchDocument.objects.bulk_create(
                search_document(post, post_tags, variant.text.replace(TOPIC_MARK, topic))
                for post, post_tags, (variant, topic) in zip(posts, chosen, words, strict=True)
            )
        done += size
        if progress:
            progress(done)
    refresh_statistics()
    # bulk_create sends no signal, and announcing the posts (core.changes) would index
    # and list them all again, one by one, which is what this module avoids: the rows
    # above are what those handlers would write. What remains is theirs to refresh.
    scheduling.refresh()
    content_changed()
    return done


def refresh_statistics():
    """On PostgreSQL, do now what autovacuum would do after a bulk load, some time later.

    With statistics from before the load the planner takes a 100,000-post table for a
    handful of rows and sorts it all for a page instead of walking the ordering index;
    until VACUUM marks the new pages all-visible, an index-only scan still reads every
    row it skips. VACUUM cannot run inside a transaction (tests): ANALYZE alone then.
    """
    if connection.vendor != "postgresql":
        return
    tables = [
        Post._meta.db_table,
        Post.tags.through._meta.db_table,
        TagListing._meta.db_table,
        SearchDocument._meta.db_table,
    ]
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} " + ", ".join(connection.ops.quote_name(t) for t in tables))


def search_document(post, tags, text):
    # document_fields() would turn the body HTML into text once per post: too slow here.
    fields = document_fields(
        Post(title=post.title, description=post.description), [t.name for t in tags]
    )
    return SearchDocument(post_id=post.pk, **{**fields, "body": text})
