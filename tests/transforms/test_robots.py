"""robots.txt: one fetch per host, however many threads ask at once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from newsbeam.transforms.fetch import RobotsCache


class _SlowClient:
    """Answers robots.txt after a network-like delay, counting the requests per URL."""

    def __init__(self) -> None:
        self.settings = SimpleNamespace(user_agent="newsbeam-test")
        self.requests: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, url: str):
        with self._lock:
            self.requests[url] = self.requests.get(url, 0) + 1
        time.sleep(0.05)  # the latency of a real request: the window two threads once shared
        return SimpleNamespace(body=b"User-agent: *\nDisallow: /private/\n")


def test_robots_txt_is_fetched_once_per_host_when_many_threads_ask_together():
    client = _SlowClient()
    robots = RobotsCache(client)
    urls = [f"https://{host}.example/{kind}/{n}" for host in "ab" for kind in ("news", "private")
            for n in range(8)]  # fmt: skip
    with ThreadPoolExecutor(16) as pool:
        answers = dict(zip(urls, pool.map(robots.allowed, urls), strict=True))
    assert client.requests == {
        "https://a.example/robots.txt": 1,
        "https://b.example/robots.txt": 1,
    }
    assert all(answers[u] == ("/private/" not in u) for u in urls)
