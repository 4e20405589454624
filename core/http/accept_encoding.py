"""Which content coding to send: the Accept-Encoding header, read as RFC 9110 says.

    Accept-Encoding = #( codings [ weight ] )                        (RFC 9110 §12.5.3)
    codings         = content-coding / "identity" / "*"
    weight          = OWS ";" OWS "q=" qvalue                        (§12.4.2)
    qvalue          = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )

Codings and the ``q`` are case-insensitive, and ``x-gzip`` is ``gzip`` (§8.4.1). An
element without a weight has ``q=1``; ``q=0`` means "not acceptable"; ``*`` is every
coding the header does not name, identity included. identity (no coding) is acceptable
unless refused by name or by ``*;q=0``; any other coding only if the header names it or
``*``. An empty header asks for no coding.

What the grammar does not allow is read the way that can never send a client what it
refused: a weight that cannot be read (``q=abc``, ``q=2``, ``q=0.0001``, two weights,
another parameter) refuses its coding, and a coding named twice keeps the lower weight.

Django has no parser for this header (``django.http.request.MediaType`` reads Accept),
and its GZipMiddleware looks for the word ``gzip`` anywhere in it, ``gzip;q=0`` included.
"""

import re

IDENTITY = "identity"

# RFC 9110 §5.6.2's token.
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")
OWS = " \t"
ALIASES = {"x-gzip": "gzip", "x-compress": "compress"}  # RFC 9110 §8.4.1.1, §8.4.1.3


def parse_accept_encoding(value):
    """The weight (0 to 1) the header gives each coding it names, by lower-case name."""
    weights = {}
    for element in value.split(","):
        coding, *parameters = (part.strip(OWS) for part in element.split(";"))
        if not TOKEN.fullmatch(coding):
            continue  # an empty element ("gzip,,br") or not a coding at all
        coding = ALIASES.get(coding.lower(), coding.lower())
        weights[coding] = min(weight_of(parameters), weights.get(coding, 1.0))
    return weights


def weight_of(parameters):
    if not parameters:
        return 1.0
    name, _, value = parameters[0].partition("=")
    if len(parameters) == 1 and name.strip(OWS).lower() == "q":
        value = value.strip(OWS)
        if QVALUE.fullmatch(value):
            return float(value)
    return 0.0


def choose_coding(value, available):
    """The coding to send a client whose Accept-Encoding is ``value`` (None: no header).

    ``available`` are the codings this response can have, in the server's order of
    preference. The one the client weighs highest wins, the server's order breaking
    ties, identity last; when the client accepts none of them, identity: sent as it is,
    as RFC 9110 §12.5.3 advises (and, when even identity is refused, rather than a 406).
    Without the header any coding would do; identity is what curl and bots expect.
    """
    weights = parse_accept_encoding(value or "")
    chosen, chosen_weight = IDENTITY, 0.0
    for coding in (*available, IDENTITY):
        weight = weights.get(coding, weights.get("*", 0.0))
        if weight > chosen_weight:
            chosen, chosen_weight = coding, weight
    return chosen
