"""Pages built with CSS-in-JS (hashed class names that say nothing): the dek is the div
right after the <h1> repeating the meta description, a newsletter box is an e-mail form
with a few lines of pitch, a reading time sits by the date."""

from __future__ import annotations

from worker.events.models import Source
from worker.normalise.article import normalise_html

DEK = "The chain says the e-ink tags are about accuracy. The union says it found out late."
STORY = [
    "The grocery chain that dominates much of the upper Midwest has begun replacing paper "
    "price tags with electronic shelf labels in 40 of its stores, the company said on Friday.",
    "The small e-ink displays, managed from a central pricing system, let the chain change "
    "thousands of prices in minutes rather than the hours it takes staff to swap paper tags.",
    "That promise has not settled the nerves of the union that represents about 9,000 of the "
    "chain's workers, which said it learned of the rollout from employees, not the company.",
]


def _page(first_para_div: bool = False) -> str:
    paras = [f'<div class="sc-7e2a91-4 hVpQzt">{p}</div>' for p in STORY]
    box = ('<div class="sc-3f0c8d-0 bWgRmE"><div class="sc-3f0c8d-1 gT">Daily Brief</div>'
           '<div class="sc-3f0c8d-2 fP">The business of technology, in your inbox daily.</div>'
           '<form><input type="email" placeholder="you@example.com"/><button>Sign up</button>'
           '</form><div class="sc-3f0c8d-4 xC">By signing up you agree to our Terms.</div></div>')
    head = "" if first_para_div else f'<div class="sc-2e3f4a-4 vBnMqW">{DEK}</div>'
    return (f'<html><head><title>Grocer tests labels</title><meta name="description" '
            f'content="{DEK if not first_para_div else STORY[0]}"></head><body><main><article>'
            f'<h1 class="sc-2e3f4a-3 kL">Regional grocer tests digital shelf labels</h1>{head}'
            f'<div class="sc-6c7d8e-5 hY"><time datetime="2025-03-14T14:05:00Z">Mar 14, 2025'
            f'</time><span class="sc-6c7d8e-7 cX"> · 4 min read</span></div>'
            f'<div class="sc-7e2a91-0 rT">{paras[0]}{paras[1]}{box}{paras[2]}</div>'
            f'</article></main></body></html>')


def test_dek_newsletter_box_and_reading_time_are_no_story() -> None:
    art = normalise_html(_page(), source=Source(kind="file", location="nextjs"))
    assert list(art.body) == STORY


def test_a_lede_repeating_the_description_stays() -> None:
    art = normalise_html(_page(first_para_div=True), source=Source(kind="file", location="n"))
    assert list(art.body) == STORY
