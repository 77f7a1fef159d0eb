"""URL canonicalisation beyond courlan's own list: tracking and session parameters courlan
keeps, courlan's misreading of an `amp` parameter, and hosts written with a trailing dot."""

from __future__ import annotations

import pytest

from newsbeam.transforms.urls import canonicalize_url, is_tracking_parameter

BASE = "https://news.example.org/world/story?id=7"


@pytest.mark.parametrize(
    "parameter",
    [
        "__twitter_impression=true",
        "_hsenc=p2ANqtz",
        "_hsmi=12345",
        "cmpid=rss",
        "ocid=msn",
        "smid=tw-share",
        "sr_share=facebook",
        "fb_action_ids=1234",
        "fb_source=feed",
        "icid=home_top",
        "xtor=RSS-3",
        "wt.mc_id=newsletter",
        "WT_MC=x",
        "PHPSESSID=a1b2c3",
        "jsessionid=F00",
        "pk_campaign=spring",
        "mtm_source=mail",
        "ns_mchannel=social",
        "UTM_Source=CAPS",
        "amp=1",
    ],
)
def test_tracking_parameters_courlan_keeps_are_removed(parameter):
    assert canonicalize_url(f"{BASE}&{parameter}") == BASE
    assert canonicalize_url(f"https://news.example.org/world/story?{parameter}") == (
        "https://news.example.org/world/story"
    )


def test_amp_parameter_does_not_become_a_nameless_one():
    # courlan unescapes "&amp" as an HTML entity: "?id=7&amp=1" came out as "?=1&id=7".
    assert canonicalize_url(f"{BASE}&amp=1") == BASE


@pytest.mark.parametrize("name", ["id", "story", "page", "s", "share", "p", "article", "q"])
def test_page_parameters_are_not_tracking(name):
    assert not is_tracking_parameter(name)
    assert canonicalize_url(f"https://example.com/read?{name}=3") == (
        f"https://example.com/read?{name}=3"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.org./a", "https://news.example.org/a"),
        ("HTTPS://NEWS.EXAMPLE.ORG.:443/a/", "https://news.example.org/a"),
        ("http://news.example.org.:80/a", "http://news.example.org/a"),
        ("http://news.example.org.:8080/a", "http://news.example.org:8080/a"),
    ],
)
def test_trailing_dot_host_and_default_port(url, expected):
    assert canonicalize_url(url) == expected


def test_all_noise_at_once_gives_one_canonical_form():
    variants = [
        "https://www.example.com/politics/talks?id=3",
        "HTTPS://WWW.EXAMPLE.COM.:443/politics/talks/?utm_source=x&id=3&smid=tw#comments",
        "https://www.example.com/politics/talks?ocid=a&id=3&fbclid=b&_hsenc=c&amp=1",
    ]
    assert {canonicalize_url(v) for v in variants} == {
        "https://www.example.com/politics/talks?id=3"
    }
