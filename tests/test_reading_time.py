"""Reading time across languages: words, CJK characters, code, tables and images."""

import pytest

from blog.rendering import render_markdown
from core.markdown.reading_time import ReadingTime, count_text, measure
from tests.conftest import add_faq

pytestmark = pytest.mark.django_db


def read(markdown_text):
    return measure(render_markdown(markdown_text))


class TestWords:
    def test_english_prose_at_265_words_a_minute(self):
        reading = read(" ".join(["word"] * 530))
        assert reading == ReadingTime(words=530)
        assert reading.minutes == 2 and reading.word_count == 530

    @pytest.mark.parametrize("words, minutes", [(0, 1), (1, 1), (265, 1), (266, 2), (2915, 11)])
    def test_minutes_round_up_with_a_minimum_of_one(self, words, minutes):
        assert ReadingTime(words=words).minutes == minutes

    def test_markup_is_not_counted_and_blocks_separate_words(self):
        html = "<p>One <strong>two</strong> three.</p><ul><li>four</li><li>five</li></ul>"
        assert measure(html).words == 5
        assert measure("<p>It&rsquo;s a<br>test</p>").words == 3
        assert measure("<p>un<em>believ</em>able</p>").words == 1  # inline tags join

    @pytest.mark.parametrize(
        "text, words",
        [
            ("Don't stop: it's 3.14, e.g. naïve café.", 7),
            ("Привет, мир! Как дела?", 4),
            ("हिन्दी भाषा सुंदर है", 4),  # vowel signs are part of the word
            ("مرحبا بالعالم", 2),
            ("— … !? 🙂", 0),  # punctuation and emoji are no words
        ],
    )
    def test_words_follow_unicode_word_boundaries(self, text, words):
        assert count_text(text) == (words, 0)


class TestCJK:
    def test_chinese_is_counted_by_characters_at_500_a_minute(self):
        sentence = "我们在北京学习中文。"  # 9 characters and a full stop
        reading = read(sentence * 100)
        assert reading.cjk_characters == 900 and reading.words == 0
        assert reading.minutes == 2  # 900 / 500, rounded up; as "words" it would be 1 min
        assert reading.word_count == 900

    def test_japanese_kanji_and_kana_are_counted_by_characters(self):
        # 吾輩は猫である (7) 名前はまだ無い (7) コーヒー (4, with its length marks)
        assert count_text("吾輩は猫である。名前はまだ無い。コーヒー") == (0, 18)

    def test_korean_hangul_is_counted_by_characters(self):
        assert count_text("안녕하세요 세계") == (0, 7)

    def test_mixed_english_and_japanese(self):
        reading = read("Python は楽しい and Django も。")
        assert (reading.words, reading.cjk_characters) == (3, 5)
        assert reading.describe() == "3 words at 265 wpm + 5 CJK characters at 500/min = 1 min"

    def test_long_mixed_text_adds_both_rates(self):
        # 265 words (60 s) and 999 characters (119.9 s) make 3 minutes.
        reading = read(" ".join(["word"] * 265) + "\n\n" + "日本語" * 333)
        assert reading.words == 265 and reading.cjk_characters == 999
        assert reading.minutes == 3


class TestCodeTablesImages:
    def test_code_blocks_are_read_at_half_speed(self):
        code = "```python\n" + "\n".join(["value = compute(value)"] * 65) + "\n```"
        reading = read("Intro words here.\n\n" + code)
        assert reading.code_blocks == 1 and reading.words == 3
        assert reading.slow_words == 195  # three words a line, 65 lines
        assert reading.minutes == 2  # 195 words at 130 wpm is 1.5 minutes
        assert read("Text with `inline code` in it.").slow_words == 0  # inline code is prose

    def test_tables_are_read_at_half_speed(self):
        reading = read("| Role | Pay |\n|---|---|\n| ML engineer | High |")
        assert reading.tables == 1 and reading.slow_words == 5 and reading.words == 0

    def test_each_image_adds_ten_seconds(self):
        images = "\n\n".join(f"![Chart {i}](/media/c{i}.png)" for i in range(6))
        reading = read(" ".join(["word"] * 265) + "\n\n" + images)
        assert reading.images == 6
        assert reading.seconds == pytest.approx(120) and reading.minutes == 2

    def test_the_breakdown_says_how_the_minutes_were_computed(self):
        reading = ReadingTime(
            words=2310, cjk_characters=1200, code_blocks=2, tables=1, slow_words=260, images=3
        )
        # 523 s + 144 s + 120 s + 30 s = 817 s
        assert reading.describe() == (
            "2,310 words at 265 wpm + 1,200 CJK characters at 500/min"
            " + 2 code blocks and 1 table (260 words at 130 wpm)"
            " + 3 images at 10 s each = 14 min"
        )
        assert ReadingTime().describe() == "0 words at 265 wpm = 1 min"
        assert ReadingTime(code_blocks=1, slow_words=1).describe() == (
            "1 code block (1 word at 130 wpm) = 1 min"
        )

    def test_fragments_add_up(self):
        both = measure("<p>one two</p>", "<pre><code>x = 1</code></pre><img src=x alt=y>")
        assert both == ReadingTime(words=2, code_blocks=1, slow_words=2, images=1)


class TestStoredOnSave:
    def test_post_stores_count_minutes_and_breakdown(self, make_post):
        body = " ".join(["word"] * 300) + "\n\n" + "漢字" * 250 + "\n\n![A chart](/c.png)"
        post = make_post(body=body)
        post.refresh_from_db()
        assert post.word_count == 300 + 500
        assert post.reading_minutes == 3  # 67.9 s + 60 s + 10 s
        assert post.reading_time_breakdown == (
            "300 words at 265 wpm + 500 CJK characters at 500/min + 1 image at 10 s each = 3 min"
        )

    def test_faq_counts_toward_the_stored_reading_time(self, make_post):
        post = make_post(body="Four words right here.")
        add_faq(post, 2)  # "Question 0?" "Answer 0." twice: eight words
        post.refresh_from_db()
        assert post.word_count == 12
        assert post.reading_time_breakdown.startswith("12 words at 265 wpm")
        post.faq_items.first().delete()
        post.refresh_from_db()
        assert post.word_count == 8

    def test_admin_shows_the_breakdown_read_only(self, staff_client, make_post):
        post = make_post(body="Hello world.\n\n```\ncode here\n```")
        html = staff_client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
        assert "How reading time was computed" in html
        assert "2 words at 265 wpm + 1 code block (2 words at 130 wpm) = 1 min" in html
        assert 'name="reading_time_breakdown"' not in html  # shown, not editable
