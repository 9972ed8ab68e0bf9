"""The review database: an append-only SQLite log of reviewer decisions.

Every decision is one row of ``decisions``, written in its own ``BEGIN IMMEDIATE``
transaction in WAL mode with a busy timeout, so two reviewer processes on one database wait
for each other instead of failing, and nothing is lost when a reviewer quits or is killed.
Rows are never updated or deleted (triggers refuse it); the latest row (highest ``id``) per
(item, reviewer, kind, label) is the reviewer's current decision.

``items`` keeps a snapshot of each reviewed item (its result record, and its narrative where
the reviewer had it) so that export and statistics need nothing but the database. Only items
that received a decision are stored: the database holds no narrative that nobody reviewed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from syscause.errors import InputError

SCHEMA_VERSION: Final = 1

# Decision kinds. ``factor``: before/after are "present" or "absent" (model vs reviewer);
# ``framing``: model framing -> reviewer framing; ``rating``: after is "1".."5" for the
# rewrite suggestions; ``comment``: after is the comment; ``done`` / ``skip``: item status.
FACTOR: Final = "factor"
FRAMING: Final = "framing"
RATING: Final = "rating"
COMMENT: Final = "comment"
DONE: Final = "done"
SKIP: Final = "skip"
KINDS: Final = (FACTOR, FRAMING, RATING, COMMENT, DONE, SKIP)
PRESENT: Final = "present"
ABSENT: Final = "absent"

# Long enough for a second reviewer's transaction (a single insert) to finish many times over.
BUSY_TIMEOUT_MS: Final = 30_000

_KIND_CHECK = ", ".join(repr(k) for k in KINDS)
_SCHEMA: Final = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS items (
        item_id TEXT NOT NULL,
        model TEXT NOT NULL,
        taxonomy_version TEXT NOT NULL,
        text TEXT,
        record TEXT NOT NULL,
        first_ts TEXT NOT NULL,
        PRIMARY KEY (item_id, model))""",
    f"""CREATE TABLE IF NOT EXISTS decisions (
        id INTEGER PRIMARY KEY,
        item_id TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        ts TEXT NOT NULL,
        model TEXT NOT NULL,
        taxonomy_version TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ({_KIND_CHECK})),
        label TEXT NOT NULL DEFAULT '',
        before TEXT,
        after TEXT,
        comment TEXT)""",
    "CREATE INDEX IF NOT EXISTS decisions_by_item ON decisions (item_id, reviewer)",
    """CREATE TRIGGER IF NOT EXISTS decisions_append_only_update BEFORE UPDATE ON decisions
        BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS decisions_append_only_delete BEFORE DELETE ON decisions
        BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END""",
)


@dataclass(frozen=True, slots=True)
class Decision:
    """One row of the decision log."""

    id: int
    item_id: str
    reviewer: str
    ts: str
    model: str
    taxonomy_version: str
    kind: str
    label: str
    before: str | None
    after: str | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class StoredItem:
    """The snapshot of a reviewed item: its result record and (optionally) its narrative."""

    item_id: str
    model: str
    taxonomy_version: str
    text: str | None
    record: dict[str, Any]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class ReviewStore:
    """An open review database. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = str(path)
        if not create and not Path(self.path).is_file():
            raise InputError(f"{self.path}: no such review database")
        try:
            # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, one decision each.
            self._conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL is durable across application crashes in WAL mode (only an OS crash
            # can lose the last commits), and much faster than FULL.
            self._conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise InputError(
                f"{self.path}: not a usable review database ({type(exc).__name__})"
            ) from None
        self._create_schema()

    def _create_schema(self) -> None:
        try:
            with self._transaction():
                for statement in _SCHEMA:
                    self._conn.execute(statement)
                self._conn.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
            row = self._conn.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise InputError(
                f"{self.path}: not a usable review database ({type(exc).__name__})"
            ) from None
        if row is None or int(row[0]) != SCHEMA_VERSION:
            raise InputError(
                f"{self.path}: review database schema {row[0] if row else '?'} is not "
                f"{SCHEMA_VERSION}; use a new --db file"
            )

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; every decision is already committed."""
        self._conn.close()

    class _Tx:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def __enter__(self) -> sqlite3.Connection:
            # IMMEDIATE takes the write lock up front, so a concurrent writer waits on the
            # busy timeout here rather than failing later on a lock upgrade.
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, exc_type: object, *rest: object) -> None:
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")

    def _transaction(self) -> ReviewStore._Tx:
        return ReviewStore._Tx(self._conn)

    def record(
        self,
        *,
        item_id: str,
        reviewer: str,
        kind: str,
        model: str,
        taxonomy_version: str,
        label: str = "",
        before: str | None = None,
        after: str | None = None,
        comment: str | None = None,
        snapshot: dict[str, Any] | None = None,
        text: str | None = None,
    ) -> int:
        """Append one decision (and the item snapshot on its first decision); return its id."""
        if kind not in KINDS:
            raise InputError(f"unknown decision kind {kind!r}; expected one of {KINDS}")
        if not reviewer:
            raise InputError("a decision needs a reviewer name")
        ts = _now()
        with self._transaction() as conn:
            if snapshot is not None:
                conn.execute(
                    "INSERT OR IGNORE INTO items (item_id, model, taxonomy_version, text, "
                    "record, first_ts) VALUES (?, ?, ?, ?, ?, ?)",
                    (item_id, model, taxonomy_version, text, json.dumps(snapshot), ts),
                )
                if text is not None:
                    # A later session with --data fills in a narrative an earlier one lacked.
                    conn.execute(
                        "UPDATE items SET text = ? WHERE item_id = ? AND model = ? "
                        "AND text IS NULL",
                        (text, item_id, model),
                    )
            cur = conn.execute(
                "INSERT INTO decisions (item_id, reviewer, ts, model, taxonomy_version, kind, "
                "label, before, after, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item_id,
                    reviewer,
                    ts,
                    model,
                    taxonomy_version,
                    kind,
                    label,
                    before,
                    after,
                    comment,
                ),
            )
            return int(cur.lastrowid or 0)

    def decisions(
        self, *, reviewer: str | None = None, item_id: str | None = None
    ) -> list[Decision]:
        """Every decision in log order, optionally for one reviewer and/or item."""
        where, args = [], []
        if reviewer is not None:
            where.append("reviewer = ?")
            args.append(reviewer)
        if item_id is not None:
            where.append("item_id = ?")
            args.append(item_id)
        sql = "SELECT id, item_id, reviewer, ts, model, taxonomy_version, kind, label, before, "
        sql += "after, comment FROM decisions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [Decision(*row) for row in rows]

    def count(self) -> int:
        """How many decisions the log holds."""
        return int(self._conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])

    def items(self) -> Iterator[StoredItem]:
        """Every stored item snapshot."""
        for item_id, model, tax, text, record in self._conn.execute(
            "SELECT item_id, model, taxonomy_version, text, record FROM items ORDER BY first_ts"
        ):
            yield StoredItem(item_id, model, tax, text, json.loads(record))

    def item(self, item_id: str, model: str) -> StoredItem | None:
        """One item snapshot, or None."""
        row = self._conn.execute(
            "SELECT item_id, model, taxonomy_version, text, record FROM items "
            "WHERE item_id = ? AND model = ?",
            (item_id, model),
        ).fetchone()
        if row is None:
            return None
        return StoredItem(row[0], row[1], row[2], row[3], json.loads(row[4]))
