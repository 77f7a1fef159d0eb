"""URL helpers: canonical form, stable article ids, source domains. Pure functions."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

import courlan

__all__ = ["article_id", "canonicalize_url", "is_web_url", "source_domain"]


def is_web_url(url: str | None) -> bool:
    """True for an absolute http(s) URL with a host."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def canonicalize_url(url: str) -> str:
    """The form two links to the same page share.

    http(s) URLs go through courlan (scheme and host case, default ports, tracking parameters
    such as utm_*, fbclid, gclid, ref, sorted query), then lose the fragment and a trailing slash.
    courlan's strict mode is not used: it drops every query parameter it does not know, which
    would merge `story.php?id=1` with `story.php?id=2`. Other URIs (file://, gs://) are returned
    unchanged: they name files, not pages.
    """
    url = url.strip()
    if not is_web_url(url):
        return url
    try:
        parts = urlsplit(courlan.normalize_url(url, strict=False))
    except (ValueError, AttributeError):
        parts = urlsplit(url)
    path = parts.path.rstrip("/") if len(parts.path) > 1 else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path or "/", parts.query, ""))


def article_id(canonical_url: str) -> str:
    """A stable id for an article: a hash of its canonical URL (24 hex characters, 96 bits)."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:24]


def source_domain(url: str | None) -> str | None:
    """The host of a web URL without a leading `www.`; None for file URIs."""
    if not is_web_url(url):
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None
