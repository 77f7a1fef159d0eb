"""URL helpers: canonical form, stable article ids, source domains. Pure functions."""

from __future__ import annotations

import hashlib
import os
import pathlib
from urllib.parse import unquote, urlsplit, urlunsplit

import courlan

__all__ = [
    "article_id",
    "canonicalize_url",
    "file_uri",
    "is_tracking_parameter",
    "is_web_url",
    "source_domain",
]

# Tracking and session parameters courlan keeps (checked against courlan 1.4), beyond the ones
# it removes itself (utm_*, fbclid, gclid, ref, mc_*, ...). Names are compared lower-cased.
_TRACKING_NAMES = frozenset(
    {
        "__twitter_impression",
        "_hsenc",
        "_hsmi",
        "amp",  # the AMP rendering of the same article; courlan also misreads `&amp=` as `&amp;`
        "cmpid",
        "fb_action_ids",
        "fb_action_types",
        "fb_ref",
        "fb_source",
        "icid",
        "jsessionid",
        "ncid",
        "ocid",
        "phpsessid",
        "smid",
        "sr_share",
        "wt.mc_id",
        "wt_mc",
        "wt_zmc",
        "xtor",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "ns_", "fb_action")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_parameter(name: str) -> bool:
    """True for a query parameter that names a campaign, click or session, not a page."""
    name = unquote(name).strip().lower()
    return not name or name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


def _strip_tracking(url: str) -> str:
    """The URL without the tracking parameters courlan keeps; other parameters untouched."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [p for p in parts.query.split("&") if p and not is_tracking_parameter(p.split("=")[0])]
    return urlunsplit(parts._replace(query="&".join(kept)))


def _plain_netloc(scheme: str, netloc: str) -> str:
    """Host without a trailing dot (`example.com.`) and without the scheme's default port."""
    if "@" in netloc or netloc.startswith("["):
        return netloc
    host, _, port = netloc.partition(":")
    host = host.rstrip(".") or host
    if not port or (port.isdigit() and int(port) == _DEFAULT_PORTS.get(scheme)):
        return host
    return f"{host}:{port}"


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

    http(s) URLs lose the tracking parameters courlan does not know (`is_tracking_parameter`),
    go through courlan (scheme and host case, default ports, tracking parameters such as utm_*,
    fbclid, gclid, ref, sorted query), then lose the fragment, a trailing slash, and a trailing
    dot on the host.
    courlan's strict mode is not used: it drops every query parameter it does not know, which
    would merge `story.php?id=1` with `story.php?id=2`. Other URIs (file://, gs://) are returned
    unchanged: they name files, not pages.
    """
    url = url.strip()
    if not is_web_url(url):
        return url
    try:
        # Split here: given a string, courlan HTML-unescapes it first, which reads a query's
        # `&lt=0` as `<=0` (and so is not idempotent); a URL is no HTML text.
        parts = urlsplit(courlan.normalize_url(urlsplit(_strip_tracking(url)), strict=False))
    except (ValueError, AttributeError):
        parts = urlsplit(url)
    path = parts.path.rstrip("/") if len(parts.path) > 1 else parts.path
    netloc = _plain_netloc(parts.scheme, parts.netloc)
    return urlunsplit((parts.scheme, netloc, path or "/", parts.query, ""))


def file_uri(location: str) -> str:
    """A file's URI: a local path as `file:///...` (percent-encoded), a URI (`gs://...`) as is.
    The `url` of an inbox page that names no address of its own."""
    if "://" in location:
        return location
    return pathlib.Path(os.path.abspath(location)).as_uri()


def article_id(canonical_url: str) -> str:
    """A stable id for an article: a hash of its canonical URL (24 hex characters, 96 bits)."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:24]


def source_domain(url: str | None) -> str | None:
    """The host of a web URL without a leading `www.`; None for file URIs."""
    if not is_web_url(url):
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None
