"""Accept-Encoding headers for property tests, each built with what it means (RFC 9110 §12.5.3).

A header is assembled from spellings whose meaning is fixed in the tables below, so a test
can check what the site sends against what the client asked for without parsing the
header the way the code under test does.
"""

from hypothesis import strategies as st

# Spelling: the coding it names. Codings are case-insensitive; x-gzip and x-compress are
# gzip and compress (RFC 9110 §8.4.1); the last ones only look like gzip.
CODINGS = {
    "gzip": "gzip", "GZIP": "gzip", "GZip": "gzip", "x-gzip": "gzip", "X-Gzip": "gzip",
    "br": "br", "BR": "br", "identity": "identity", "IDENTITY": "identity", "*": "*",
    "deflate": "deflate", "zstd": "zstd", "compress": "compress", "x-compress": "compress",
    "gzip2": "gzip2", "xgzip": "xgzip",
}  # fmt: skip

# Spelling: the weight it gives. What the grammar does not allow (a q above 1, below 0,
# with four decimals, not a number, two of them, another parameter) counts as 0: reading
# it as anything else could send a client what it refused.
WEIGHTS = {
    "": 1, ";q=1": 1, ";q=1.000": 1, "; q=0.5": 0.5, ";Q=0.25": 0.25, " ;q=0.001": 0.001,
    ";q=0": 0, ";q=0.0": 0, ";q=0.000": 0, " ; Q=0 ": 0,
    ";q=abc": 0, ";q=2": 0, ";q=1.5": 0, ";q=-1": 0, ";q=0.0001": 0, ";q=nan": 0,
    ";q=inf": 0, ";q=": 0, ";q=0;q=1": 0, ";level=9": 0, ";": 0,
}  # fmt: skip

SEPARATORS = [",", ", ", " , ", ",,", "\t,"]

# The codings the site can send, in its order of preference.
SENT = ("br", "gzip", "identity")


@st.composite
def headers(draw):
    """An Accept-Encoding value, and the weight it gives each coding it names."""
    elements = draw(
        st.lists(st.tuples(st.sampled_from(list(CODINGS)), st.sampled_from(list(WEIGHTS))))
    )
    separator = draw(st.sampled_from(SEPARATORS))
    header = separator.join(spelling + weight for spelling, weight in elements)
    weights = {}
    for spelling, weight in elements:
        coding = CODINGS[spelling]
        # Named twice (gzip and x-gzip, say): the refusal stands.
        weights[coding] = min(weights.get(coding, 1), WEIGHTS[weight])
    return header, weights


def weight(weights, coding):
    """The weight a header gives ``coding``: its own, else that of ``*``, else none."""
    return weights.get(coding, weights.get("*", 0))


def accepts(weights, coding):
    """Whether a header with these weights accepts ``coding``.

    identity is acceptable unless refused by name or by ``*;q=0`` (RFC 9110 §12.5.3);
    any other coding only if the header names it, or ``*``, with a weight above 0.
    """
    if coding == "identity" and coding not in weights and "*" not in weights:
        return True
    return weight(weights, coding) > 0


# Any text at all, leaning towards the pieces of a real header.
raw_headers = st.lists(
    st.one_of(
        st.sampled_from(list(CODINGS) + list(WEIGHTS) + SEPARATORS + ["q=", "=", ";", " "]),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=8),
    ),
    max_size=10,
).map("".join)
