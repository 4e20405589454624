"""What Liquid tags and Hugo shortcodes become: the site's own Markdown, links, or a visible block.

An embed becomes a plain link: the sanitizer drops ``<iframe>`` and ``<script>``, and a link
loads nothing from the video or social site until the reader follows it. Videos link to
YouTube's no-cookie player and Vimeo's do-not-track player.
"""

import re
from urllib.parse import quote


def youtube(video_id, title=""):
    video_id = video_id.strip()
    label = f"Watch “{title}” on YouTube" if title else "Watch the video on YouTube"
    return f"[{label}](https://www.youtube-nocookie.com/embed/{quote(video_id)})"


def vimeo(video_id, title=""):
    video_id = video_id.strip()
    label = f"Watch “{title}” on Vimeo" if title else "Watch the video on Vimeo"
    return f"[{label}](https://player.vimeo.com/video/{quote(video_id)}?dnt=1)"


def gist(user, gist_id, file=""):
    address = (
        f"https://gist.github.com/{quote(user)}/{quote(gist_id)}"
        if user
        else (f"https://gist.github.com/{quote(gist_id)}")
    )
    label = f"{file} (gist)" if file else "See the code on GitHub Gist"
    return f"[{label}]({address})"


def tweet(address="", user="", tweet_id=""):
    if not address:
        address = f"https://twitter.com/{quote(user or 'i')}/status/{quote(tweet_id)}"
    return f"[See the post on X (Twitter)]({address})"


def fenced(code, language=""):
    """``code`` as a fenced block, with a fence longer than any run of backticks inside."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"\n{fence}{language}\n{code.strip(chr(10))}\n{fence}\n"


def unconverted(text):
    """A tag or shortcode left as written, visible to the author, never smartened."""
    return fenced(text, "text")
