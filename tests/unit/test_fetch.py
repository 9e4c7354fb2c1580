"""Safe fetching: what default settings and the allow-list refuse before any I/O (no Redis;
fetches against a real server are in tests/integration/test_fetch.py)."""

from __future__ import annotations

import pytest

from worker.errors import FetchRefused
from worker.settings import load_settings
from worker.sources.fetch import fetch
from worker.sources.netguard import AddressPolicy

# --- SSRF / scheme refusals with default settings -----------------------------------------

@pytest.mark.parametrize(("url", "why"), [
    ("http://127.0.0.1/feed.xml", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.0.0.8/rss", "private"),
    ("http://[::1]/rss", "loopback"),
    ("http://[fd00::1]/rss", "private"),
    ("http://[::ffff:127.0.0.1]/rss", "IPv4-mapped"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("file:///etc/passwd", "only http and https"),
    ("ftp://ftp.example.com/feed.xml", "only http and https"),
    ("gopher://example.com/", "only http and https"),
    ("http://localhost:6379/", "localhost (127.0.0.1): loopback"),
])
def test_default_settings_refuse_unsafe_targets(url: str, why: str) -> None:
    # Given default settings (no allow-list)
    settings = load_settings(fetch_allow_hosts=[])
    # When fetching, Then the refusal is a FetchRefused naming the reason
    with pytest.raises(FetchRefused) as info:
        fetch(url, settings)
    assert why in info.value.reason


def test_allow_list_accepts_hosts_and_cidrs() -> None:
    import ipaddress

    policy = AddressPolicy(["feeds.internal", "10.1.0.0/16", ".corp.example"])
    policy.check_address("feeds.internal", ipaddress.ip_address("192.168.1.1"))
    policy.check_address("x", ipaddress.ip_address("10.1.2.3"))
    policy.check_address("a.corp.example", ipaddress.ip_address("10.9.9.9"))
    with pytest.raises(FetchRefused):
        policy.check_address("other", ipaddress.ip_address("10.2.0.1"))
    policy.check_address("public", ipaddress.ip_address("93.184.216.34"))  # public: fine
