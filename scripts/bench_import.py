"""How long ``manage.py import`` takes: a generated Jekyll site, imported twice into a fresh site.

Writes a Jekyll folder of ``--posts`` posts (dated file names, categories and tags, a
featured image from a pool of ``--images``, a body image, a highlight block, a YouTube
include and a redirect_from each), migrates a throwaway SQLite database, then runs the
import twice: the first run creates every post, the second must find them all unchanged.
Prints, as Markdown, each run's wall time, posts per second and the peak memory of the
command's largest process, with the CPU seconds used (steadier than wall time
on a shared machine).

Usage: .venv/bin/python scripts/bench_import.py [--posts 1000] [--images 20] [--keep DIR]
"""

import argparse
import io
import os
import random
import resource
import tempfile
import time
from pathlib import Path

from local_site import LocalSite
from PIL import Image

WORDS = [
    "team",
    "model",
    "data",
    "budget",
    "hiring",
    "review",
    "launch",
    "latency",
    "evaluation",
    "roadmap",
    "incident",
    "owner",
    "prompt",
    "feedback",
    "metric",
    "pilot",
    "vendor",
    "platform",
    "quality",
    "cost",
    "week",
    "decision",
]


def image(seed):
    buffer = io.BytesIO()
    rng = random.Random(seed)  # nosec B311 # made-up pictures
    colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
    Image.new("RGB", (1200, 800), colour).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def paragraph(rng):
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
        for _ in range(rng.randint(3, 6))
    )


def jekyll_site(folder, posts, images, seed=0):
    rng = random.Random(seed)  # nosec B311 # made-up posts
    (folder / "_posts").mkdir(parents=True)
    (folder / "assets").mkdir()
    (folder / "_config.yml").write_text("title: Bench\nauthor: Bench Writer\n")
    for number in range(images):
        (folder / "assets" / f"picture-{number}.jpg").write_bytes(image(number))
    for number in range(posts):
        day = 1 + number % 28
        title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} notes {number}"
        slug = f"{title.lower().replace(' ', '-')}"
        body = "\n\n".join(
            [paragraph(rng), f"## Part one of {number}", paragraph(rng),
             f"![A picture](/assets/picture-{rng.randrange(images)}.jpg)",
             "{% highlight python %}\nprint('hello')\n{% endhighlight %}",
             paragraph(rng), '{% include youtube.html id="dQw4w9WgXcQ" %}',
             "- " + "\n- ".join(paragraph(rng)[:80] for _ in range(4)), paragraph(rng)]
        )  # fmt: skip
        name = f"{2010 + number % 15}-{1 + number % 12:02d}-{day:02d}-{slug}.md"
        (folder / "_posts" / name).write_text(
            "---\n"
            f'title: "{title}"\n'
            f"categories: {rng.choice(WORDS)} {rng.choice(WORDS)}\n"
            f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n"
            f"image: /assets/picture-{rng.randrange(images)}.jpg\n"
            f"redirect_from: /old/{number}/\n"
            f"---\n{body}\n"
        )  # fmt: skip


def timed(site, *args):
    """(wall seconds, CPU seconds, peak MB of the largest process so far, last line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    output = site.manage(*args)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, cpu, after.ru_maxrss / 1024, output.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        workdir = options.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        source = workdir / "jekyll"
        jekyll_site(source, options.posts, options.images)
        site = LocalSite(workdir, "127.0.0.1:0")
        site.manage("migrate", "--noinput")
        print(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              "(CPU seconds are steadier than wall seconds on a busy machine).\n")  # fmt: skip
        print(f"| {options.posts} Jekyll posts, {options.images} images | wall s | CPU s |"
              " posts/s (wall) | peak MB | result |")  # fmt: skip
        print("|---|---:|---:|---:|---:|---|")
        for run in ["first import", "second import (nothing changed)"]:
            seconds, cpu, peak, summary = timed(site, "import", str(source))
            print(f"| {run} | {seconds:.1f} | {cpu:.1f} | {options.posts / seconds:.0f} | "
                  f"{peak:.0f} | {summary} |")  # fmt: skip


if __name__ == "__main__":
    main()
