"""guide: browser-guided procedures that are checked in CI."""

__version__ = "0.1.0"
