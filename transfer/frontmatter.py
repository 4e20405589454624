"""Front matter as static site generators write it: YAML, TOML or JSON before the body.

Only the fences are found here; each format is parsed by its own library (PyYAML's safe
loader, ``tomllib``, ``json``). Dates stay text in YAML, as TOML and JSON give them, so
``parse_date`` reads every source's dates the same way and keeps the offset written.
"""

import datetime
import json
import re
import tomllib
import zoneinfo
from dataclasses import dataclass

import yaml
from django.utils import timezone

from core.limits import POST_BODY_MAX_CHARS

MAX_FILE_BYTES = 2 * 1024 * 1024  # as import_markdown; a post is far below it
LIMITS = (
    f"files up to {MAX_FILE_BYTES // 1_048_576} MB, bodies up to {POST_BODY_MAX_CHARS:,} "
    "characters, images up to the admin's upload limit"
)


class SourceError(Exception):
    """A file that cannot be read as a post at all; the message says why."""


@dataclass
class Parsed:
    meta: dict
    body: str
    format: str  # "YAML", "TOML", "JSON" or "" when the file has no front matter


class _TextDates(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML that leaves dates as text, so their offset is read by ``parse_date``.

    libyaml's parser when PyYAML has it (several times faster); the safe constructor either way.
    """


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path):
    """A file's text, refused past ``MAX_FILE_BYTES`` or when it is not UTF-8 text."""
    if not path.is_file():
        raise SourceError("not a regular file")
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError(f"the file is larger than {MAX_FILE_BYTES // 1_048_576} MB")
    if b"\0" in raw:
        raise SourceError("not a text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(f"not UTF-8 text (byte {error.start})") from None


def split(text):
    """Front matter and body; YAML between ``---``, TOML between ``+++``, or a JSON object."""
    lines = text.splitlines(keepends=True)
    first = lines[0].strip() if lines else ""
    if first in {"---", "+++"}:
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == first), None)
        if end is None:
            raise SourceError(f"the front matter is not closed by a line of {first}")
        front, body = "".join(lines[1:end]), "".join(lines[end + 1 :])
        return (load_yaml if first == "---" else _toml)(front), body
    if first.startswith("{"):
        try:
            meta, end = json.JSONDecoder().raw_decode(text.lstrip())
        except ValueError as error:
            raise SourceError(f"invalid JSON front matter: {error}") from None
        return (_checked(meta, "JSON"), text.lstrip()[end:])
    return Parsed({}, text, ""), text


def parse(text):
    """``Parsed`` front matter and body of a file's text."""
    parsed, body = split(text)
    parsed.body = body.strip("\n")
    return parsed


def load_yaml(front):
    try:
        meta = yaml.load(front, Loader=_TextDates) if front.strip() else {}  # nosec B506: safe
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        problem = getattr(error, "problem", None) or error
        raise SourceError(f"invalid YAML front matter{where}: {problem}") from None
    except ValueError as error:
        raise SourceError(f"invalid value in the front matter: {error}") from None
    return _checked(meta or {}, "YAML")


def _toml(front):
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        raise SourceError(f"invalid TOML front matter: {error}") from None
    return _checked(meta, "TOML")


def _checked(meta, name):
    if not isinstance(meta, dict):
        raise SourceError(f"the {name} front matter must be a mapping of keys to values")
    return Parsed(meta, "", name)


_SPACED_OFFSET = re.compile(r"\s+([+-]\d{2}:?\d{2}|Z)$")


def parse_date(value, zone=None):
    """A date or moment as written (text, TOML datetime or date), aware, offset kept.

    Jekyll writes ``2014-05-01 10:00:00 +0200``; Hugo and TOML write ISO 8601. A moment
    without an offset is in ``zone`` (the site's configured time zone) or the site's own.
    Raises ValueError with a message for the report.
    """
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    elif isinstance(value, str) and value.strip():
        text = _SPACED_OFFSET.sub(r"\1", value.strip())
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"not a date: {value!r} (write 2014-05-01 or 2014-05-01T10:00:00+02:00)"
            ) from None
    else:
        raise ValueError(f"not a date: {value!r}")
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=zone) if zone else timezone.make_aware(moment)
    return moment


def time_zone(name):
    """The ``zoneinfo`` zone a site's configuration names, or None."""
    try:
        return zoneinfo.ZoneInfo(str(name)) if name else None
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None


def as_list(value):
    """A front-matter value that may be one name or a list of them, as a list of text."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return [str(value).strip()]


def lower_keys(meta):
    """Hugo reads keys in any case (``Title``, ``tags``); so do its readers here."""
    return {str(key).lower(): value for key, value in meta.items()}
