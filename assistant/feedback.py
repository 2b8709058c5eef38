"""Thumbs up / down on answers, kept in a small SQLite file (default: <index_dir>/feedback.sqlite).

Each rating is one row; a reader who changes their mind adds a second row, so the table is a log.
`export_csv` writes the rows for review (the CLI's `jdd feedback export` uses it)."""

from __future__ import annotations

import csv
import sqlite3
import sys
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from .errors import AssistantError

FEEDBACK_FILE = "feedback.sqlite"
CSV_COLUMNS = ("id", "created_at", "rating", "question", "answer", "chunk_ids")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    chunk_ids TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class FeedbackRow:
    id: int
    created_at: str  # ISO 8601, UTC
    rating: str  # "up" or "down"
    question: str
    answer: str
    chunk_ids: tuple[str, ...]


def default_path(index_dir: str | Path) -> Path:
    """Where feedback for the index at `index_dir` is kept."""
    return Path(index_dir) / FEEDBACK_FILE


def normalise_rating(rating: int | str | bool) -> str:
    """'up' or 'down' from st.feedback's 1 / 0, a bool, or the words themselves."""
    if isinstance(rating, str):
        word = rating.strip().lower()
        if word in ("up", "down"):
            return word
    elif rating in (0, 1):  # also True / False
        return "up" if rating else "down"
    raise ValueError(f"rating must be 'up', 'down', 1 or 0, not {rating!r}")


class FeedbackStore:
    """Ratings of answers in a SQLite file, created on first use."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise AssistantError(f"could not open the feedback file {self.path}: {exc}") from exc
        return conn

    def record(
        self,
        question: str,
        answer_text: str,
        chunk_ids: Iterable[str],
        rating: int | str | bool,
        created_at: datetime | str | None = None,
    ) -> int:
        """Store one rating of an answer; returns the new row's id.

        `chunk_ids` are the passages the answer cited, so a bad rating can be traced to them."""
        when = created_at or datetime.now(timezone.utc)
        if isinstance(when, datetime):
            when = when.astimezone(timezone.utc).isoformat(timespec="seconds")
        row = (when, normalise_rating(rating), question, answer_text, " ".join(chunk_ids))
        try:
            with closing(self._connect()) as conn, conn:
                cursor = conn.execute(
                    "INSERT INTO feedback (created_at, rating, question, answer, chunk_ids) VALUES (?, ?, ?, ?, ?)",
                    row,
                )
                return int(cursor.lastrowid)
        except sqlite3.Error as exc:
            raise AssistantError(f"could not save feedback to {self.path}: {exc}") from exc

    def rows(self) -> list[FeedbackRow]:
        """All ratings, oldest first. An absent file means no feedback yet (it is not created)."""
        if not self.path.exists():
            return []
        try:
            with closing(self._connect()) as conn:
                found = conn.execute(
                    "SELECT id, created_at, rating, question, answer, chunk_ids FROM feedback ORDER BY id"
                ).fetchall()
        except sqlite3.Error as exc:
            raise AssistantError(f"could not read the feedback file {self.path}: {exc}") from exc
        return [FeedbackRow(r[0], r[1], r[2], r[3], r[4], tuple(r[5].split())) for r in found]

    def export_csv(self, out: str | Path | IO[str]) -> int:
        """Write all ratings as CSV (columns CSV_COLUMNS) to a path, '-' for stdout, or an open
        text file; returns the number of rows written."""
        rows = self.rows()
        if isinstance(out, (str, Path)) and str(out) != "-":
            with open(out, "w", newline="", encoding="utf-8") as handle:
                return _write_csv(handle, rows)
        return _write_csv(sys.stdout if isinstance(out, (str, Path)) else out, rows)


def _write_csv(handle: IO[str], rows: list[FeedbackRow]) -> int:
    writer = csv.writer(handle)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow((r.id, r.created_at, r.rating, r.question, r.answer, " ".join(r.chunk_ids)))
    return len(rows)


def export_csv(db_path: str | Path, out_path: str | Path | IO[str]) -> int:
    """Write the ratings in the SQLite file `db_path` as CSV to `out_path` ('-' for stdout);
    returns the number of rows written (0 and a header line if nobody has rated anything)."""
    return FeedbackStore(db_path).export_csv(out_path)
