"""Reading Accept-Encoding (RFC 9110 §12.5.3) and choosing the coding a response is sent in.

Through HTTP, with the page cache, in tests/test_page_cache.py
(``TestTheVariantIsTheOneItsKeyNames``).
"""

import pytest
from hypothesis import HealthCheck, given, settings

from core.http.accept_encoding import choose_coding, parse_accept_encoding
from tests import accept_encoding_headers
from tests.accept_encoding_headers import SENT, accepts, weight

BOUNDED = settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

OFFERED = ("br", "gzip")  # a public page's codings, brotli first


@pytest.mark.parametrize(
    "header, weights",
    [
        ("", {}),
        ("gzip", {"gzip": 1}),
        ("gzip, deflate, br, zstd", {"gzip": 1, "deflate": 1, "br": 1, "zstd": 1}),
        ("GZIP;Q=0.5", {"gzip": 0.5}),
        (" br ; q=0.25 ,\tgzip;q=1.000 ", {"br": 0.25, "gzip": 1}),
        ("x-gzip", {"gzip": 1}),
        ("x-compress;q=0.5", {"compress": 0.5}),
        ("gzip, x-gzip;q=0", {"gzip": 0}),  # named twice: the refusal stands
        ("gzip;q=0.3, gzip", {"gzip": 0.3}),
        ("*;q=0, identity", {"*": 0, "identity": 1}),
        ("gzip,,br", {"gzip": 1, "br": 1}),
        # Weights the grammar does not allow refuse their coding.
        ("gzip;q=abc", {"gzip": 0}),
        ("gzip;q=2", {"gzip": 0}),
        ("gzip;q=1.001", {"gzip": 0}),
        ("gzip;q=-0", {"gzip": 0}),
        ("gzip;q=0.0001", {"gzip": 0}),
        ("gzip;q=nan", {"gzip": 0}),
        ("gzip;q=", {"gzip": 0}),
        ("gzip;q=1;q=0", {"gzip": 0}),
        ("gzip;level=9", {"gzip": 0}),
        # Not codings at all: nothing is named.
        ("gzip deflate", {}),
        ("g\u00e9zip", {}),
        (";q=1", {}),
    ],
)
def test_parse(header, weights):
    assert parse_accept_encoding(header) == weights


@pytest.mark.parametrize(
    "header, available, coding",
    [
        (None, OFFERED, "identity"),  # no header: any would do; curl and bots get none
        ("", OFFERED, "identity"),  # an empty header asks for none
        ("gzip, deflate, br, zstd", OFFERED, "br"),
        ("gzip, deflate, br, zstd", ("gzip",), "gzip"),
        ("gzip, br", ("gzip",), "gzip"),
        ("br", ("gzip",), "identity"),
        ("gzip;q=0", OFFERED, "identity"),
        ("x-gzip", OFFERED, "gzip"),
        ("br;q=0, gzip", OFFERED, "gzip"),
        ("gzip;q=0.8, br;q=0.5", OFFERED, "gzip"),
        ("br;q=0.5, gzip;q=0.5", OFFERED, "br"),  # a tie: the server's order
        ("*", OFFERED, "br"),
        ("*;q=0", OFFERED, "identity"),
        ("*;q=0, gzip", OFFERED, "gzip"),
        ("gzip;q=0, *", OFFERED, "br"),
        ("br;q=0, *", OFFERED, "gzip"),
        ("identity;q=0", OFFERED, "identity"),  # nothing it takes is on offer: as it is
        ("identity;q=0, gzip;q=0.001", OFFERED, "gzip"),
        ("identity, gzip;q=0.5", OFFERED, "identity"),  # the client prefers none
        ("gzip, identity", OFFERED, "gzip"),
        ("deflate, zstd", OFFERED, "identity"),
    ],
)
def test_choose(header, available, coding):
    assert choose_coding(header, available) == coding


@given(header=accept_encoding_headers.headers())
@BOUNDED
def test_the_chosen_coding_is_accepted_and_the_one_weighed_highest(header):
    header, weights = header
    assert parse_accept_encoding(header) == weights
    chosen = choose_coding(header, OFFERED)
    acceptable = [coding for coding in SENT if accepts(weights, coding)]
    if not any(coding in acceptable for coding in OFFERED):
        assert chosen == "identity"
        return
    assert chosen in acceptable
    best = max(weight(weights, coding) for coding in acceptable)
    assert weight(weights, chosen) == best
    assert chosen == next(coding for coding in SENT if weight(weights, coding) == best)


@given(header=accept_encoding_headers.raw_headers)
@BOUNDED
def test_any_text_at_all_gets_an_answer(header):
    weights = parse_accept_encoding(header)
    assert all(0 <= value <= 1 for value in weights.values())
    assert choose_coding(header, OFFERED) in (*OFFERED, "identity")
