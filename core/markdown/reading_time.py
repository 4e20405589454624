"""How long a post takes to read, in any language, and how that was worked out.

The estimate reads rendered HTML and adds up:

- words of prose at ``WORDS_PER_MINUTE``. Words are found by Unicode word
  boundaries (UAX #29, through the ``regex`` module), so "naïve", "3.14",
  "don't", Cyrillic or Devanagari words each count once, as a reader sees them;
- Chinese, Japanese and Korean characters at ``CJK_CHARACTERS_PER_MINUTE``:
  these scripts are read character by character, and Chinese and Japanese put
  no spaces between words, so counting "words" would make a long Japanese
  article look like a tweet;
- words inside code blocks and tables at ``SLOW_WORDS_PER_MINUTE``: they are
  read, or traced cell by cell, at about half the speed of prose;
- ``SECONDS_PER_IMAGE`` for each image.

The total is rounded up to whole minutes, never less than one. ``measure()``
returns a ``ReadingTime`` that also says, in words, how it was computed, which
the post admin shows.
"""

import math
from dataclasses import dataclass, fields
from html.parser import HTMLParser

import regex

WORDS_PER_MINUTE = 265  # adult silent reading of non-fiction prose, as Medium uses
CJK_CHARACTERS_PER_MINUTE = 500
SLOW_WORDS_PER_MINUTE = 130  # code and tables: half the speed of prose
SECONDS_PER_IMAGE = 10

# Han (hanzi and kanji, with the 々 repeat mark), kana (with the ー length mark) and hangul.
CJK_CHARACTER = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}々ー]")
WORD_BOUNDARY = regex.compile(r"\b", flags=regex.WORD | regex.VERSION1)
# A stretch between two boundaries is a word if it holds a letter or a digit;
# the others are spaces and punctuation.
WORDLIKE = regex.compile(r"[\p{L}\p{N}]")

# Tags that end a word even when no space separates them from the next text.
BLOCK_TAGS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "blockquote",
    "pre", "ul", "ol", "table", "dt", "dd", "hr", "summary", "figcaption", "caption",
}  # fmt: skip


def _plural(count, singular, plural=None):
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


@dataclass(frozen=True)
class ReadingTime:
    """What a reader reads, by kind, and the minutes that adds up to."""

    words: int = 0  # prose words, in any script but CJK
    cjk_characters: int = 0
    code_blocks: int = 0
    tables: int = 0
    slow_words: int = 0  # words inside code blocks and tables
    images: int = 0

    def __add__(self, other):
        return ReadingTime(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def word_count(self):
        """Words of every kind, a CJK character counting as one (schema.org's wordCount)."""
        return self.words + self.slow_words + self.cjk_characters

    @property
    def seconds(self):
        return (
            self.words * 60 / WORDS_PER_MINUTE
            + self.cjk_characters * 60 / CJK_CHARACTERS_PER_MINUTE
            + self.slow_words * 60 / SLOW_WORDS_PER_MINUTE
            + self.images * SECONDS_PER_IMAGE
        )

    @property
    def minutes(self):
        """Whole minutes, rounded up, never less than one."""
        return max(1, math.ceil(round(self.seconds, 6) / 60))

    def describe(self):
        """The sum in words, e.g. "2,310 words at 265 wpm + 3 images at 10 s each = 10 min"."""
        parts = []
        if self.words or not (self.cjk_characters or self.slow_words or self.images):
            parts.append(f"{_plural(self.words, 'word')} at {WORDS_PER_MINUTE} wpm")
        if self.cjk_characters:
            parts.append(
                f"{_plural(self.cjk_characters, 'CJK character')} "
                f"at {CJK_CHARACTERS_PER_MINUTE}/min"
            )
        if self.code_blocks or self.tables:
            where = " and ".join(
                _plural(count, name)
                for count, name in [(self.code_blocks, "code block"), (self.tables, "table")]
                if count
            )
            parts.append(
                f"{where} ({_plural(self.slow_words, 'word')} at {SLOW_WORDS_PER_MINUTE} wpm)"
            )
        if self.images:
            parts.append(f"{_plural(self.images, 'image')} at {SECONDS_PER_IMAGE} s each")
        return f"{' + '.join(parts)} = {self.minutes} min"


def count_text(text):
    """(words, CJK characters) in plain text."""
    cjk = len(CJK_CHARACTER.findall(text))
    rest = CJK_CHARACTER.sub(" ", text) if cjk else text
    words = sum(1 for part in WORD_BOUNDARY.split(rest) if WORDLIKE.search(part))
    return words, cjk


class _ReadingParser(HTMLParser):
    """Sorts an HTML fragment's text into prose and slow text (code, tables), counting images."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.prose, self.slow = [], []
        self.code_blocks = self.tables = self.images = 0
        self.open_pre = self.open_tables = 0

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self.code_blocks += not self.open_pre
            self.open_pre += 1
        elif tag == "table":
            self.tables += not (self.open_tables or self.open_pre)
            self.open_tables += 1
        elif tag == "img":
            self.images += 1
        self.break_word(tag)

    def handle_endtag(self, tag):
        if tag == "pre":
            self.open_pre = max(0, self.open_pre - 1)
        elif tag == "table":
            self.open_tables = max(0, self.open_tables - 1)
        self.break_word(tag)

    def handle_data(self, data):
        (self.slow if self.open_pre or self.open_tables else self.prose).append(data)

    def break_word(self, tag):
        if tag in BLOCK_TAGS:
            self.handle_data(" ")


def measure(*fragments):
    """The ``ReadingTime`` of some rendered HTML fragments (a body, FAQ answers…) together."""
    total = ReadingTime()
    for fragment in fragments:
        parser = _ReadingParser()
        parser.feed(fragment or "")
        parser.close()
        words, cjk = count_text("".join(parser.prose))
        slow_words, slow_cjk = count_text("".join(parser.slow))
        total += ReadingTime(
            words=words,
            cjk_characters=cjk + slow_cjk,
            code_blocks=parser.code_blocks,
            tables=parser.tables,
            slow_words=slow_words,
            images=parser.images,
        )
    return total
