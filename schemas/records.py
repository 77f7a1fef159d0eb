"""Records that flow between pipeline steps before they become table rows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InboxFile:
    """One matched inbox file, as handled by a run (path, size, modification time)."""

    path: str
    size: int
    mtime: float

    @property
    def version(self) -> str:
        """What "unchanged" means for the skip check: same size and modification time."""
        return f"{self.size}:{self.mtime:.6f}"


@dataclass(frozen=True)
class Item:
    """One input: a page to extract. `body` holds raw bytes, or `html` already-decoded text."""

    origin: str
    url: str | None
    body: bytes | None = None
    html: str | None = None
    charset: str | None = None  # a charset declared outside the page (HTTP header), if any
    hints: dict = field(default_factory=dict)  # metadata known before extraction (feed entries)


@dataclass(frozen=True)
class Reject:
    """An input that failed, and why. `stage` names the step, `error` a short class."""

    origin: str
    url: str | None
    stage: str
    error: str
    detail: str
