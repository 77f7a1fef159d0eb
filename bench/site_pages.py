"""Generated news-site article pages for throughput benchmarks: the markup of a real site, every
text different, the same pages for the same seed.

A page has what a news site's article page carries around its text: a header with a large
nested navigation menu, a breadcrumb, the article (title, byline, a `<time datetime>` with a UTC
offset, 6 to 15 paragraphs), teasers of related articles, a footer with more links, and inline
styles and scripts that bring it to the size asked for. Pages come from a handful of sites, each
with its own menu, class names and domain; some sites put a JSON-LD `NewsArticle` in the head.
Words are drawn by a generator seeded per page from a vocabulary written for this module (news
English, place names, and made-up surnames), so no two pages share their text.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

__all__ = ["Site", "article_page", "sites", "write_pages"]


def _word_list(text: str) -> list[str]:
    return text.split()


_WORDS = _word_list("""
government minister officials talks agreement border region capital city council parliament
election vote campaign party leader opposition coalition budget tax spending economy growth
inflation prices wages workers union strike factory company market shares investors bank rates
loans housing rent tenants schools teachers students university research scientists study data
hospital doctors patients health clinic vaccine outbreak weather storm flooding drought harvest
farmers water river coast port ships cargo trade exports imports tariffs deal summit delegation
embassy envoy statement spokesman report court judge trial ruling appeal lawyers police officers
arrest investigation witnesses evidence charges prison sentence release protest march crowd
square rally residents village district province neighbours families children elderly
volunteers charity fund donation museum exhibition festival concert theatre film director
season match team coach players league final stadium fans record goal injury transfer contract
railway station trains bus drivers airport flights delays road bridge tunnel construction
project plan proposal committee hearing inquiry review audit contract tender energy power grid
plant solar wind gas pipeline fuel supply shortage demand winter summer spring autumn morning
evening week month year decade history century archive library newspaper reporter interview
announced said added warned promised denied confirmed expected planned rejected approved signed
agreed opened closed raised cut doubled reached started finished delayed postponed cancelled
visited met discussed argued claimed suggested welcomed criticised praised questioned urged
new old local national regional international public private major minor early late recent
former current next last first second third several many few small large long short strong weak
quiet busy sudden gradual careful rapid steady uncertain likely unlikely official independent
the the the the of of of and and and to to in in a a for on with by at from that this which
after before during while since because although however also still only more most less
""")

_PLACES = _word_list("""
Ukraine Russia Belarus Poland Germany France Spain Italy Portugal Norway Sweden Finland Estonia
Latvia Lithuania Romania Hungary Austria Greece Turkey Georgia Armenia Kazakhstan Mongolia China
Japan Korea Vietnam Indonesia India Pakistan Egypt Morocco Kenya Nigeria Ghana Brazil Argentina
Chile Peru Mexico Canada Australia Washington Moscow Kyiv Minsk Warsaw Berlin Paris Madrid Rome
""")

_SYLLABLES = _word_list("ka lo mi ren dal vos ter na bel sor qui pan der li mo tes van rul fen gor")

_SECTIONS = _word_list("""
politics world business economy science health education climate culture sport travel opinion
technology cities regions weather transport energy justice society media
""")


def _made_up_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _phrase(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words)


def _sentence(rng: random.Random) -> str:
    words = [
        rng.choice(_PLACES)
        if rng.random() < 0.05
        else _made_up_name(rng)
        if rng.random() < 0.04
        else str(rng.randint(2, 2000))
        if rng.random() < 0.02
        else rng.choice(_WORDS)
        for _ in range(rng.randint(9, 28))
    ]
    text = " ".join(words)
    return text[:1].upper() + text[1:] + rng.choice(".....?!")


@dataclass(frozen=True)
class Site:
    """One made-up news site: its domain, the class-name prefix of its templates, its menu."""

    domain: str
    prefix: str
    menu: str
    footer: str
    json_ld: bool


def _menu(rng: random.Random, domain: str, prefix: str, links: int) -> str:
    """A navigation menu of `links` links: sections, each with a nested list of topics."""
    parts = [f'<nav class="{prefix}-nav" aria-label="Main"><ul class="{prefix}-nav__sections">']
    made = 0
    while made < links:
        section = rng.choice(_SECTIONS)
        parts.append(
            f'<li class="{prefix}-nav__section"><a class="{prefix}-nav__link" '
            f'href="https://{domain}/{section}/">{section.capitalize()}</a>'
            f'<ul class="{prefix}-nav__topics">'
        )
        made += 1
        for _ in range(min(rng.randint(6, 24), links - made)):
            label = _phrase(rng, 1, 3).title()
            slug = label.lower().replace(" ", "-")
            parts.append(
                f'<li class="{prefix}-nav__topic"><a href="https://{domain}/{section}/{slug}/">'
                f"{html.escape(label)}</a></li>"
            )
            made += 1
        parts.append("</ul></li>")
    parts.append("</ul></nav>")
    return "".join(parts)


def _footer(rng: random.Random, domain: str, prefix: str) -> str:
    columns = []
    for _ in range(4):
        links = "".join(
            f'<li><a href="https://{domain}/about/{i}">{html.escape(_phrase(rng, 1, 3).title())}'
            "</a></li>"
            for i in range(rng.randint(10, 18))
        )
        columns.append(f'<div class="{prefix}-footer__column"><ul>{links}</ul></div>')
    return (
        f'<footer class="{prefix}-footer">{"".join(columns)}'
        f'<p class="{prefix}-footer__legal">Copyright {domain}. All rights reserved.</p></footer>'
    )


def sites(seed: int = 0, menu_links: int = 400, count: int = 5) -> list[Site]:
    """`count` sites, each with its own menu of `menu_links` links; the same for the same seed."""
    made = []
    for number in range(count):
        rng = random.Random(f"site-{seed}-{number}")
        domain = f"{_made_up_name(rng).lower()}-news.example"
        prefix = _made_up_name(rng).lower()[:4]
        made.append(
            Site(
                domain,
                prefix,
                _menu(rng, domain, prefix, menu_links),
                _footer(rng, domain, prefix),
                json_ld=number % 5 in (0, 1, 3),
            )
        )
    return made


def _filler(rng: random.Random, prefix: str, size: int) -> str:
    """Inline CSS and a script of about `size` characters, as a site's templates inline them."""
    if size <= 0:
        return ""
    rules, script, length = [], [], 0
    while length < size // 2:
        rule = (
            f".{prefix}-{rng.choice(_WORDS)}-{rng.randint(1, 99)}{{margin:{rng.randint(0, 24)}px "
            f"{rng.randint(0, 24)}px;color:#{rng.randrange(16**6):06x};"
            f"font-size:{rng.randint(10, 32)}px}}"
        )
        rules.append(rule)
        length += len(rule)
    while length < size:
        line = (
            f"w.{prefix}_{rng.choice(_WORDS)}_{rng.randint(1, 999)}="
            f'{{"slot":"{rng.choice(_WORDS)}",'
            f'"size":[{rng.randint(120, 970)},{rng.randint(50, 600)}],"lazy":true}};'
        )
        script.append(line)
        length += len(line)
    return (
        f"<style>{''.join(rules)}</style>"
        f"<script>(function(w){{{''.join(script)}}})(window);</script>"
    )


def article_page(
    number: int, seed: int = 0, page_kb: float = 60, site_list: list[Site] | None = None
) -> str:
    """Article page `number`: about `page_kb` KiB (more when the menu alone is larger), with
    text no other number has. Pass `site_list` (from `sites()`) when making many pages."""
    site_list = site_list or sites(seed)
    site = site_list[number % len(site_list)]
    rng = random.Random(f"page-{seed}-{number}")
    p = site.prefix
    section = rng.choice(_SECTIONS)
    title = _phrase(rng, 6, 12).capitalize()
    slug = "-".join(title.lower().split()[:6])
    url = f"https://{site.domain}/{section}/{slug}-{number}"
    author = f"{_made_up_name(rng)} {_made_up_name(rng)}"
    offset = timezone(timedelta(hours=rng.choice((-5, 0, 1, 2, 3, 9))))
    published = datetime(2026, 1, 1, tzinfo=offset) + timedelta(
        minutes=rng.randrange(365 * 24 * 60)
    )
    paragraphs = [
        " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
        for _ in range(rng.randint(6, 15))
    ]
    teasers = "".join(
        f'<article class="{p}-teaser"><a href="https://{site.domain}/{section}/{i}-{number}">'
        f"<h3>{html.escape(_phrase(rng, 5, 10).capitalize())}</h3></a>"
        f"<p>{html.escape(_sentence(rng))}</p></article>"
        for i in range(rng.randint(4, 8))
    )
    json_ld = ""
    if site.json_ld:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published.isoformat(),
            "author": {"@type": "Person", "name": author},
            "mainEntityOfPage": url,
            "publisher": {"@type": "Organization", "name": site.domain},
        }
        json_ld = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    head = (
        f'<head><meta charset="utf-8"><title>{html.escape(title)} | {site.domain}</title>'
        f'<link rel="canonical" href="{url}"><meta property="og:title" '
        f'content="{html.escape(title)}"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1">{json_ld}'
    )
    body = (
        f'<body class="{p}-article-page"><header class="{p}-header"><a class="{p}-logo" '
        f'href="https://{site.domain}/">{site.domain}</a>{site.menu}</header>'
        f'<ol class="{p}-breadcrumb"><li><a href="https://{site.domain}/">Home</a></li>'
        f'<li><a href="https://{site.domain}/{section}/">{section.capitalize()}</a></li></ol>'
        f'<main><article class="{p}-story"><h1>{html.escape(title)}</h1>'
        f'<p class="{p}-byline">By <span class="{p}-author">{author}</span> '
        f'<time datetime="{published.isoformat()}">{published:%d %B %Y, %H:%M}</time></p>'
        f'<div class="{p}-story__body">'
        + "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
        + f'</div></article><aside class="{p}-related"><h2>Related</h2>{teasers}</aside></main>'
        f"{site.footer}</body></html>"
    )
    # What the styles and scripts add: the rest of the size asked for.
    rest = int(page_kb * 1024) - len(head) - len(body) - 40
    return f'<!DOCTYPE html><html lang="en">{head}{_filler(rng, p, rest)}</head>{body}'


def write_pages(
    folder: Path, count: int, seed: int = 0, page_kb: float = 60, menu_links: int = 400
) -> list[Path]:
    """Write pages 0..count-1 into `folder` as `page-NNNNN.html`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    site_list = sites(seed, menu_links)
    paths = []
    for number in range(count):
        path = folder / f"page-{number:05d}.html"
        path.write_text(article_page(number, seed, page_kb, site_list), encoding="utf-8")
        paths.append(path)
    return paths
