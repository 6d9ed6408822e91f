"""Numbered schema steps, applied in order at start-up.

Append-only: a released step is never edited; a change to the schema is a new step.
Each step runs in its own ``BEGIN IMMEDIATE`` transaction together with the bump of
``PRAGMA user_version``, so a crash leaves the file at one version or the next, never
between. Steps are plain SQL, not ``create_all``: SQL DDL is what SQLite actually runs,
it can alter existing tables, and it keeps SQLAlchemy out of start-up. ``models.py``
describes the same schema and ``tests/test_migrations.py`` checks the two agree.
"""

from __future__ import annotations

import sqlite3

from ...domain.names import fold_or_none, sort_key

M001_INITIAL = """
CREATE TABLE client (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key TEXT NOT NULL,
    company TEXT,
    company_key TEXT,
    position TEXT,
    phones TEXT NOT NULL DEFAULT '[]',
    email TEXT,
    stage TEXT NOT NULL DEFAULT 'lead'
        CHECK (stage IN ('lead', 'prospect', 'negotiation', 'client', 'dormant')),
    due TEXT,
    due_month TEXT,
    due_time TEXT,
    purpose TEXT,
    filed_at TEXT,
    archived_at TEXT,
    archive_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (due IS NULL OR due_month IS NULL),
    CHECK (due_time IS NULL OR due IS NOT NULL),
    CHECK (archived_at IS NULL OR (due IS NULL AND due_month IS NULL))
);
CREATE INDEX client_name_key ON client (name_key);
CREATE INDEX client_company_key ON client (company_key);
CREATE INDEX client_due ON client (due, due_time) WHERE due IS NOT NULL;
CREATE INDEX client_due_month ON client (due_month) WHERE due_month IS NOT NULL;

CREATE TABLE tag (
    client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (client_id, tag)
);
CREATE INDEX tag_tag ON tag (tag);

CREATE TABLE field (
    client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (client_id, key)
);

CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'email', 'visit', 'note')),
    outcome TEXT CHECK (outcome IS NULL OR outcome IN (
        'reached', 'no-answer', 'left-message', 'meeting-set', 'proposal-sent', 'won', 'lost'
    )),
    text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entry_client_at ON entry (client_id, at);

-- Full-text index over the history, kept in step by triggers, so it is written in the
-- same transaction as the entry itself.
CREATE VIRTUAL TABLE entry_fts USING fts5 (
    text, content = 'entry', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER entry_fts_insert AFTER INSERT ON entry BEGIN
    INSERT INTO entry_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER entry_fts_delete AFTER DELETE ON entry BEGIN
    INSERT INTO entry_fts (entry_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER entry_fts_update AFTER UPDATE OF text ON entry BEGIN
    INSERT INTO entry_fts (entry_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO entry_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TABLE migration (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (datetime('now'))
);
"""

M002_DAYS_OFF = """
CREATE TABLE day_off (
    id INTEGER PRIMARY KEY,
    first TEXT NOT NULL,
    last TEXT NOT NULL,
    note TEXT,
    CHECK (first <= last)
);
CREATE INDEX day_off_last ON day_off (last);
"""

M003_UNDO = """
CREATE TABLE change (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    command TEXT NOT NULL
);
CREATE TABLE undo_step (
    id INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL REFERENCES change (id) ON DELETE CASCADE,
    sql TEXT NOT NULL
);
CREATE INDEX undo_step_change ON undo_step (change_id);
-- The "no next step" warning runs on every 'today': keep it off a full scan.
CREATE INDEX client_unfiled ON client (name_key)
    WHERE archived_at IS NULL AND due IS NULL AND due_month IS NULL;
"""

DIGITS_SQL = (
    "replace(replace(replace(replace(replace(replace({0}, ' ', ''), '-', ''), '(', ''),"
    " ')', ''), '+', ''), '.', '')"
)

# The text 'find' searches for a card's e-mails: the first, then the others (JSON).
EMAILS_SQL = (
    "coalesce({row}email, '') || CASE WHEN {row}more_emails = '[]' THEN ''"
    " ELSE ' ' || {row}more_emails END"
)

M004_CARD_SEARCH = f"""
-- Substring search over the cards (name, company, e-mail, phones and the phones' digits),
-- with SQLite's trigram tokenizer: 'find' stays fast at 100,000 clients.
CREATE VIRTUAL TABLE client_fts USING fts5 (
    name, company, email, phones, digits, tokenize = 'trigram'
);
INSERT INTO client_fts (rowid, name, company, email, phones, digits)
    SELECT id, name, company, email, phones, {DIGITS_SQL.format("phones")} FROM client;
CREATE TRIGGER client_fts_insert AFTER INSERT ON client BEGIN
    INSERT INTO client_fts (rowid, name, company, email, phones, digits)
    VALUES (new.id, new.name, new.company, new.email, new.phones,
            {DIGITS_SQL.format("new.phones")});
END;
CREATE TRIGGER client_fts_delete AFTER DELETE ON client BEGIN
    DELETE FROM client_fts WHERE rowid = old.id;
END;
CREATE TRIGGER client_fts_update AFTER UPDATE OF name, company, email, phones ON client BEGIN
    DELETE FROM client_fts WHERE rowid = old.id;
    INSERT INTO client_fts (rowid, name, company, email, phones, digits)
    VALUES (new.id, new.name, new.company, new.email, new.phones,
            {DIGITS_SQL.format("new.phones")});
END;
"""

M005_UNDO_AS_DATA = """
-- Undo steps hold data (operation, table, rowid, old values as a JSON object) instead of
-- SQL statements that 'undo' ran as written: an edited file could make it run any SQL.
-- 'undo' now builds each statement itself, from a fixed set. The steps recorded before
-- this version are SQL and cannot be trusted, so that history is dropped with its
-- changes: what was done before the upgrade can no longer be undone (the backup made
-- before the migration still holds it).
DROP TABLE undo_step;
DELETE FROM change;
CREATE TABLE undo_step (
    id INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL REFERENCES change (id) ON DELETE CASCADE,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'delete_range')),
    tbl TEXT NOT NULL CHECK (tbl IN ('client', 'tag', 'field', 'entry', 'day_off')),
    row_id INTEGER NOT NULL,
    last_id INTEGER,
    old TEXT
);
CREATE INDEX undo_step_change ON undo_step (change_id);
"""

M006_FOLDED_NAMES = """
-- Names and companies without accents, for lookups typed without them ('nunez' finds
-- José Núñez), each with an index so that they stay searches at 100,000 clients. The
-- values are computed by dossier (store.fold, registered as dossier_fold for this step
-- only), not by a trigger: no SQL function of SQLite's folds accents, and the schema must
-- stay readable by any SQLite without dossier's functions.
ALTER TABLE client ADD COLUMN name_fold TEXT;
ALTER TABLE client ADD COLUMN company_fold TEXT;
UPDATE client SET name_fold = dossier_fold(name), company_fold = dossier_fold(company);
CREATE INDEX client_name_fold ON client (name_fold);
CREATE INDEX client_company_fold ON client (company_fold);
"""

M007_NAME_ORDER = """
-- The order names are read in (store.name_order: accents with their base letter, case
-- ignored, numbers in number order), written as text that sorts the same way
-- (store.sort_key, registered as dossier_sort_key for this step), with an index over
-- the active clients: a terminal's 'list' shows its first page at once and counts the
-- rest, instead of sorting 100,000 names in Python.
ALTER TABLE client ADD COLUMN name_sort TEXT;
UPDATE client SET name_sort = dossier_sort_key(name);
CREATE INDEX client_name_sort ON client (name_sort) WHERE archived_at IS NULL;
-- Rows another program wrote since m006 may lack their folded names: filled in here.
UPDATE client SET name_fold = dossier_fold(name) WHERE name_fold IS NULL;
UPDATE client SET company_fold = dossier_fold(company)
    WHERE company_fold IS NULL AND company IS NOT NULL;
"""

M008_CONTACT_INDEX = """
-- The history index carries each entry's kind: "has this client been contacted?" (a
-- call, meeting, e-mail or visit: not a new client) is answered from the index alone,
-- for every row of 'today', the agenda and levelling, instead of reading each entry.
CREATE INDEX entry_client_at_kind ON entry (client_id, at, kind);
DROP INDEX entry_client_at;
"""

M009_FORMS_AND_IMPORTS = f"""
-- The team's own forms: each field a dossier carries, with its type, in definition
-- order ('position'). A value stays in 'field' (client_id, key = the field's name).
CREATE TABLE field_def (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    type TEXT NOT NULL DEFAULT 'text'
        CHECK (type IN ('text', 'number', 'date', 'choice', 'phone', 'email')),
    choices TEXT NOT NULL DEFAULT '[]',
    required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    label TEXT,
    position INTEGER NOT NULL
);
-- A card may hold several e-mails (a phone's contacts, a merged import): the first stays
-- in 'email', the others are a JSON list here. 'uid' is the identity a vCard carried, so
-- that importing the same contacts again updates the same clients.
ALTER TABLE client ADD COLUMN more_emails TEXT NOT NULL DEFAULT '[]';
ALTER TABLE client ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX client_uid ON client (uid) WHERE uid IS NOT NULL;
-- 'find' searches every e-mail of a card.
DROP TRIGGER client_fts_insert;
DROP TRIGGER client_fts_update;
CREATE TRIGGER client_fts_insert AFTER INSERT ON client BEGIN
    INSERT INTO client_fts (rowid, name, company, email, phones, digits)
    VALUES (new.id, new.name, new.company, {EMAILS_SQL.format(row="new.")}, new.phones,
            {DIGITS_SQL.format("new.phones")});
END;
CREATE TRIGGER client_fts_update
    AFTER UPDATE OF name, company, email, more_emails, phones ON client BEGIN
    DELETE FROM client_fts WHERE rowid = old.id;
    INSERT INTO client_fts (rowid, name, company, email, phones, digits)
    VALUES (new.id, new.name, new.company, {EMAILS_SQL.format(row="new.")}, new.phones,
            {DIGITS_SQL.format("new.phones")});
END;
-- Undo learns the new table: its CHECK is rebuilt (SQLite cannot alter one), the
-- recorded steps kept.
CREATE TABLE undo_step_new (
    id INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL REFERENCES change (id) ON DELETE CASCADE,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'delete_range')),
    tbl TEXT NOT NULL
        CHECK (tbl IN ('client', 'tag', 'field', 'entry', 'day_off', 'field_def')),
    row_id INTEGER NOT NULL,
    last_id INTEGER,
    old TEXT
);
INSERT INTO undo_step_new (id, change_id, op, tbl, row_id, last_id, old)
    SELECT id, change_id, op, tbl, row_id, last_id, old FROM undo_step;
DROP TABLE undo_step;
ALTER TABLE undo_step_new RENAME TO undo_step;
CREATE INDEX undo_step_change ON undo_step (change_id);
"""

M010_CADENCE = """
-- A client's own cadence ('every 3w'): a count and a unit, as 'dossier add --every' wrote
-- it; NULL when the client has none (the settings may still give one by tag or stage).
ALTER TABLE client ADD COLUMN every TEXT;
"""

# The kinds that are a contact with the client (a note is not): the first and latest
# contact days below are kept from these alone. Fixed words, not user text.
_CONTACTS = "'call', 'meeting', 'email', 'visit'"
_RECOMPUTE = """
    UPDATE client SET
        first_contact = (SELECT min(substr(at, 1, 10)) FROM entry
                         WHERE client_id = client.id AND kind IN ({kinds})),
        last_contact = (SELECT max(substr(at, 1, 10)) FROM entry
                        WHERE client_id = client.id AND kind IN ({kinds}))
    WHERE id = {who};"""

M011_CONTACT_DAYS = f"""
-- The day of each client's first and latest contact, kept by triggers in the same
-- statement as the entry's write (so every writer, undo and the bulk path included,
-- keeps them right): 'today' counts the clients gone cold and 'review' and 'stats'
-- the first contacts without reading a million entries. NULL: never contacted.
ALTER TABLE client ADD COLUMN first_contact TEXT;
ALTER TABLE client ADD COLUMN last_contact TEXT;
UPDATE client SET
    first_contact = (SELECT min(substr(at, 1, 10)) FROM entry
                     WHERE client_id = client.id AND kind IN ({_CONTACTS})),
    last_contact = (SELECT max(substr(at, 1, 10)) FROM entry
                    WHERE client_id = client.id AND kind IN ({_CONTACTS}));
CREATE INDEX client_first_contact ON client (first_contact);
-- Covers the cold count ('today' every morning): the day last touched (the latest
-- contact, else the card's creation), the cadence and the stage of the active clients.
CREATE INDEX client_cold
    ON client (COALESCE(last_contact, substr(created_at, 1, 10)), every, stage)
    WHERE archived_at IS NULL;

CREATE TRIGGER entry_contact_insert AFTER INSERT ON entry
WHEN new.kind IN ({_CONTACTS}) BEGIN
    UPDATE client SET
        first_contact = min(coalesce(first_contact, substr(new.at, 1, 10)),
                            substr(new.at, 1, 10)),
        last_contact = max(coalesce(last_contact, substr(new.at, 1, 10)),
                           substr(new.at, 1, 10))
    WHERE id = new.client_id;
END;
CREATE TRIGGER entry_contact_delete AFTER DELETE ON entry
WHEN old.kind IN ({_CONTACTS}) BEGIN{_RECOMPUTE.format(kinds=_CONTACTS, who="old.client_id")}
END;
CREATE TRIGGER entry_contact_update AFTER UPDATE OF at, kind, client_id ON entry BEGIN{
    _RECOMPUTE.format(kinds=_CONTACTS, who="old.client_id")
}{_RECOMPUTE.format(kinds=_CONTACTS, who="new.client_id")}
END;

-- The entries of a day or a week ('review', 'stats') by their time alone, and the
-- clients added in them.
CREATE INDEX entry_at ON entry (at);
CREATE INDEX client_created_at ON client (created_at);
"""

CONTACTS_IN = "('call', 'meeting', 'email', 'visit')"


def _neighbour(row: str, before: bool) -> str:
    """The day of ``row``'s client's contact just before (or after) it, in (at, id) order,
    the row itself left out: what the gap tallies move when a contact comes or goes."""
    op, order = ("<", "DESC") if before else (">", "ASC")
    return (
        f"(SELECT substr(p.at, 1, 10) FROM entry p WHERE p.client_id = {row}.client_id"
        f" AND p.kind IN {CONTACTS_IN} AND p.id != {row}.id AND p.at {op}= {row}.at"
        f" AND (p.at {op} {row}.at OR p.id {op} {row}.id) ORDER BY p.at {order}, p.id {order}"
        " LIMIT 1)"
    )


def _days(later: str, earlier: str) -> str:
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _tally(row: str, sign: int) -> str:
    """Statements adding (``sign`` 1) or taking away (-1) ``row`` from the day tallies."""
    day, outcome = f"substr({row}.at, 1, 10)", f"coalesce({row}.outcome, '')"
    prev, nxt = _neighbour(row, True), _neighbour(row, False)
    contact = f"{row}.kind IN {CONTACTS_IN}"
    return f"""
    INSERT OR IGNORE INTO stats_day (day, kind, outcome) VALUES ({day}, {row}.kind, {outcome});
    UPDATE stats_day SET entries = entries + {sign}
        WHERE day = {day} AND kind = {row}.kind AND outcome = {outcome};
    INSERT OR IGNORE INTO stats_gap (day) SELECT {day} WHERE {contact} AND {prev} IS NOT NULL;
    UPDATE stats_gap SET days = days + {sign} * {_days(day, prev)}, gaps = gaps + {sign}
        WHERE day = {day} AND {contact} AND {prev} IS NOT NULL;
    INSERT OR IGNORE INTO stats_gap (day) SELECT {nxt} WHERE {contact} AND {nxt} IS NOT NULL;
    UPDATE stats_gap SET
        days = days + {sign} * CASE WHEN {prev} IS NULL THEN {_days(nxt, day)}
                                    ELSE {_days(prev, day)} END,
        gaps = gaps + CASE WHEN {prev} IS NULL THEN {sign} ELSE 0 END
        WHERE {contact} AND day = {nxt};{_emptied(day, nxt) if sign < 0 else ""}"""


def _emptied(day: str, nxt: str) -> str:
    """Tallies back at nothing are dropped: an undone command leaves the tables as they
    were, row for row."""
    return f"""
    DELETE FROM stats_day WHERE day = {day} AND entries = 0;
    DELETE FROM stats_gap WHERE day IN ({day}, {nxt}) AND gaps = 0;"""


def _wins(row: str, sign: int) -> str:
    """Statements keeping ``stats_win`` (each win with its client's contacts up to it,
    itself included) as ``row`` comes (``sign`` 1) or goes (-1)."""
    later = (
        f"client_id = {row}.client_id"
        f" AND (at > {row}.at OR (at = {row}.at AND entry_id > {row}.id))"
    )
    shift = f"""
    UPDATE stats_win SET contacts = contacts + {sign}
        WHERE {row}.kind IN {CONTACTS_IN} AND {later};"""
    if sign < 0:
        return f"""
    DELETE FROM stats_win WHERE entry_id = {row}.id;{shift}"""
    return f"""{shift}
    INSERT INTO stats_win (entry_id, client_id, at, contacts, days)
        SELECT {row}.id, {row}.client_id, {row}.at, ({CONTACTS_UP_TO.format(row=row)}),
            {DAYS_SINCE.format(at=f"{row}.at", first="first_contact")}
        FROM client WHERE id = {row}.client_id AND {row}.outcome = 'won';"""


# A win's days to close: from its client's first contact to the win's day.
DAYS_SINCE = "CAST(julianday(substr({at}, 1, 10)) - julianday({first}) AS INTEGER)"


CONTACTS_UP_TO = (
    "SELECT count(*) FROM entry e WHERE e.client_id = {row}.client_id"
    f" AND e.kind IN {CONTACTS_IN} AND e.at <= {{row}}.at"
    " AND (e.at < {row}.at OR e.id <= {row}.id)"
)


M012_STATS = f"""
-- 'dossier stats' reads tallies, not the history: kept by triggers in the same
-- transaction as every write of an entry (a command, an import, a bulk load, undo), and
-- filled here from the entries already there.
-- Entries per day, kind and outcome ('' for none).
CREATE TABLE stats_day (
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    entries INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, kind, outcome)
) WITHOUT ROWID;
-- The gaps between a client's consecutive contacts, counted on the later contact's day:
-- how many, and their days added up.
CREATE TABLE stats_gap (
    day TEXT NOT NULL PRIMARY KEY,
    days INTEGER NOT NULL DEFAULT 0,
    gaps INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO stats_day (day, kind, outcome, entries)
    SELECT substr(at, 1, 10), kind, coalesce(outcome, ''), count(*) FROM entry GROUP BY 1, 2, 3;
INSERT INTO stats_gap (day, days, gaps)
    SELECT day, sum({_days("day", "prev")}), count(*) FROM (
        SELECT substr(at, 1, 10) AS day,
            lag(substr(at, 1, 10)) OVER (PARTITION BY client_id ORDER BY at, id) AS prev
        FROM entry WHERE kind IN {CONTACTS_IN})
    WHERE prev IS NOT NULL GROUP BY day;
-- Each win (an entry with the outcome 'won') with its client's contacts up to it and
-- the days from the client's first contact (kept in step with client.first_contact,
-- m011), read by the period's index alone.
CREATE TABLE stats_win (
    entry_id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    contacts INTEGER NOT NULL,
    days INTEGER
);
CREATE INDEX stats_win_client_at ON stats_win (client_id, at);
CREATE INDEX stats_win_at ON stats_win (at, contacts, days);
INSERT INTO stats_win (entry_id, client_id, at, contacts, days)
    SELECT w.id, w.client_id, w.at, ({CONTACTS_UP_TO.format(row="w")}),
        {DAYS_SINCE.format(at="w.at", first="c.first_contact")}
    FROM entry w JOIN client c ON c.id = w.client_id WHERE w.outcome = 'won';
CREATE TRIGGER stats_win_first AFTER UPDATE OF first_contact ON client BEGIN
    UPDATE stats_win SET days = {DAYS_SINCE.format(at="at", first="new.first_contact")}
        WHERE client_id = new.id;
END;
CREATE TRIGGER stats_entry_insert AFTER INSERT ON entry
BEGIN{_tally("new", 1)}{_wins("new", 1)}
END;
CREATE TRIGGER stats_entry_delete AFTER DELETE ON entry
BEGIN{_tally("old", -1)}{_wins("old", -1)}
END;
CREATE TRIGGER stats_entry_update AFTER UPDATE OF client_id, at, kind, outcome ON entry
BEGIN{_tally("old", -1)}{_wins("old", -1)}{_tally("new", 1)}{_wins("new", 1)}
END;
-- The wins, found without reading the history.
CREATE INDEX entry_won ON entry (at) WHERE outcome = 'won';
-- The clients per stage, counted from an index.
CREATE INDEX client_stage ON client (stage);
-- Every change of a client's stage from this version on, with its day: written by
-- dossier in the command's transaction (a trigger cannot know the command's day), so
-- that 'undo' takes it back with the change. Earlier changes are not known.
CREATE TABLE stage_change (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL
);
CREATE INDEX stage_change_day ON stage_change (day);
CREATE INDEX stage_change_client ON stage_change (client_id);
-- The overdue pile at the start of each day, written by the day's first command.
CREATE TABLE day_open (
    day TEXT NOT NULL PRIMARY KEY,
    overdue INTEGER NOT NULL
);
-- Undo learns the stage changes (its CHECK is rebuilt, the recorded steps kept).
CREATE TABLE undo_step_new (
    id INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL REFERENCES change (id) ON DELETE CASCADE,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'delete_range')),
    tbl TEXT NOT NULL CHECK (tbl IN (
        'client', 'tag', 'field', 'entry', 'day_off', 'field_def', 'stage_change')),
    row_id INTEGER NOT NULL,
    last_id INTEGER,
    old TEXT
);
INSERT INTO undo_step_new (id, change_id, op, tbl, row_id, last_id, old)
    SELECT id, change_id, op, tbl, row_id, last_id, old FROM undo_step;
DROP TABLE undo_step;
ALTER TABLE undo_step_new RENAME TO undo_step;
CREATE INDEX undo_step_change ON undo_step (change_id);
"""

M013_OWNERS = """
-- Every dossier has an owner: the user name of the manager who works it (NULL only
-- until the first command after this step gives the unowned ones to its user).
ALTER TABLE client ADD COLUMN owner TEXT;
-- One manager's day tabs and month tabs, read by index; its first and last entries
-- tell in two probes whether the folder has more than one owner at all.
CREATE INDEX client_owner_due ON client (owner, due);
CREATE INDEX client_owner_month ON client (owner, due_month) WHERE due_month IS NOT NULL;
-- A cover for an absence ('dossier handoff --until'): the dossiers handed over that
-- the colleague still owns go back on the first command on or after 'until'.
CREATE TABLE cover (
    id INTEGER PRIMARY KEY,
    from_user TEXT NOT NULL,
    to_user TEXT NOT NULL,
    until TEXT NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX cover_until ON cover (until) WHERE closed_at IS NULL;
CREATE TABLE cover_client (
    cover_id INTEGER NOT NULL REFERENCES cover (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    PRIMARY KEY (cover_id, client_id)
);
CREATE INDEX cover_client_client ON cover_client (client_id);
-- Undo learns the covers (its CHECK is rebuilt, the recorded steps kept).
CREATE TABLE undo_step_new (
    id INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL REFERENCES change (id) ON DELETE CASCADE,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'delete_range')),
    tbl TEXT NOT NULL CHECK (tbl IN (
        'client', 'tag', 'field', 'entry', 'day_off', 'field_def', 'stage_change',
        'cover', 'cover_client')),
    row_id INTEGER NOT NULL,
    last_id INTEGER,
    old TEXT
);
INSERT INTO undo_step_new (id, change_id, op, tbl, row_id, last_id, old)
    SELECT id, change_id, op, tbl, row_id, last_id, old FROM undo_step;
DROP TABLE undo_step;
ALTER TABLE undo_step_new RENAME TO undo_step;
CREATE INDEX undo_step_change ON undo_step (change_id);
"""

M014_VERSIONS = """
-- Many writers, nothing lost: each dossier has a version, moved on by every change to
-- its card or its history (triggers: any writer, undo included, moves it), so a front
-- end that showed a dossier can refuse to overwrite one changed since. And each
-- recorded change says whose it is: 'undo' reverts the user's own last change.
ALTER TABLE client ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE change ADD COLUMN who TEXT;
CREATE INDEX change_who ON change (who);
CREATE TRIGGER client_version AFTER UPDATE ON client
WHEN new.version IS old.version BEGIN
    UPDATE client SET version = old.version + 1 WHERE id = new.id;
END;
CREATE TRIGGER entry_version_insert AFTER INSERT ON entry BEGIN
    UPDATE client SET version = version + 1 WHERE id = new.client_id;
END;
CREATE TRIGGER entry_version_delete AFTER DELETE ON entry BEGIN
    UPDATE client SET version = version + 1 WHERE id = old.client_id;
END;
CREATE TRIGGER entry_version_update AFTER UPDATE ON entry BEGIN
    UPDATE client SET version = version + 1 WHERE id IN (old.client_id, new.client_id);
END;
CREATE TRIGGER tag_version_insert AFTER INSERT ON tag BEGIN
    UPDATE client SET version = version + 1 WHERE id = new.client_id;
END;
CREATE TRIGGER tag_version_delete AFTER DELETE ON tag BEGIN
    UPDATE client SET version = version + 1 WHERE id = old.client_id;
END;
CREATE TRIGGER field_version_insert AFTER INSERT ON field BEGIN
    UPDATE client SET version = version + 1 WHERE id = new.client_id;
END;
CREATE TRIGGER field_version_delete AFTER DELETE ON field BEGIN
    UPDATE client SET version = version + 1 WHERE id = old.client_id;
END;
CREATE TRIGGER field_version_update AFTER UPDATE ON field BEGIN
    UPDATE client SET version = version + 1 WHERE id IN (old.client_id, new.client_id);
END;
"""

# m015 is PostgreSQL's: its search functions name the schema of the functions they call,
# so that a plain pg_restore (which empties the search path) can compute the search
# columns. A file has nothing to change; the step keeps both engines' numbers in step.
M015_NOTHING_ON_A_FILE = ""


# m016: the tallies per owner. Each statement below reads the owner of the entry's
# client; an entry whose client is not there (a client's removal takes its history
# after its own row: its tallies went with the client, see _client_tally) adds nothing.
def _owner_tally(row: str, sign: int) -> str:
    """Statements adding (``sign`` 1) or taking away (-1) ``row`` from its client's
    owner's day tallies: m012's, under the client's current owner ('' for none)."""
    day, outcome = f"substr({row}.at, 1, 10)", f"coalesce({row}.outcome, '')"
    prev, nxt = _neighbour(row, True), _neighbour(row, False)
    contact = f"{row}.kind IN {CONTACTS_IN}"
    own = f"(SELECT coalesce(owner, '') FROM client WHERE id = {row}.client_id)"
    mine = f"FROM client WHERE id = {row}.client_id"
    gaps = (
        "ON CONFLICT (owner, day) DO UPDATE SET days = days + excluded.days,"
        " gaps = gaps + excluded.gaps"
    )
    emptied = f"""
    DELETE FROM stats_day WHERE owner = {own} AND day = {day} AND kind = {row}.kind
        AND outcome = {outcome} AND entries = 0;
    DELETE FROM stats_gap WHERE owner = {own} AND day IN ({day}, {nxt}) AND gaps = 0;"""
    return f"""
    INSERT INTO stats_day (owner, day, kind, outcome, entries)
        SELECT coalesce(owner, ''), {day}, {row}.kind, {outcome}, {sign} {mine}
        ON CONFLICT (owner, day, kind, outcome) DO UPDATE SET entries = entries + excluded.entries;
    INSERT INTO stats_gap (owner, day, days, gaps)
        SELECT coalesce(owner, ''), {day}, {sign} * {_days(day, prev)}, {sign} {mine}
            AND {contact} AND {prev} IS NOT NULL
        {gaps};
    INSERT INTO stats_gap (owner, day, days, gaps)
        SELECT coalesce(owner, ''), {nxt},
            {sign} * CASE WHEN {prev} IS NULL THEN {_days(nxt, day)} ELSE {_days(prev, day)} END,
            CASE WHEN {prev} IS NULL THEN {sign} ELSE 0 END {mine}
            AND {contact} AND {nxt} IS NOT NULL
        {gaps};{emptied if sign < 0 else ""}"""


def _client_tally(who: str, own: str, sign: int) -> str:
    """Statements adding (``sign`` 1) or taking away (-1) the whole history of client
    ``who`` (its entries per day, kind and outcome, and its gaps) under owner ``own``:
    a client's arrival, its removal, and its move from one owner to another."""
    days = f"(SELECT substr(at, 1, 10) FROM entry WHERE client_id = {who})"
    emptied = f"""
    DELETE FROM stats_day WHERE owner = {own} AND entries = 0 AND day IN {days};
    DELETE FROM stats_gap WHERE owner = {own} AND gaps = 0 AND day IN {days};"""
    return f"""
    INSERT INTO stats_day (owner, day, kind, outcome, entries)
        SELECT {own}, substr(at, 1, 10), kind, coalesce(outcome, ''), {sign} * count(*)
        FROM entry WHERE client_id = {who} GROUP BY 2, 3, 4
        ON CONFLICT (owner, day, kind, outcome) DO UPDATE SET entries = entries + excluded.entries;
    INSERT INTO stats_gap (owner, day, days, gaps)
        SELECT {own}, day, {sign} * sum({_days("day", "prev")}), {sign} * count(*) FROM (
            SELECT substr(at, 1, 10) AS day,
                lag(substr(at, 1, 10)) OVER (ORDER BY at, id) AS prev
            FROM entry WHERE client_id = {who} AND kind IN {CONTACTS_IN})
        WHERE prev IS NOT NULL GROUP BY day
        ON CONFLICT (owner, day) DO UPDATE SET days = days + excluded.days,
            gaps = gaps + excluded.gaps;{emptied if sign < 0 else ""}"""


_OLD_OWNER, _NEW_OWNER = "coalesce(old.owner, '')", "coalesce(new.owner, '')"

M016_OWNER_TALLIES = f"""
-- 'dossier stats' for one manager reads tallies too: the day and gap tallies are kept
-- per owner (the client's current one; '' for a dossier nobody owns), the whole
-- folder's being their sum. Filled here from the history, by each client's owner.
DROP TRIGGER stats_entry_insert;
DROP TRIGGER stats_entry_delete;
DROP TRIGGER stats_entry_update;
DROP TABLE stats_day;
DROP TABLE stats_gap;
CREATE TABLE stats_day (
    owner TEXT NOT NULL DEFAULT '',
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    entries INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (owner, day, kind, outcome)
) WITHOUT ROWID;
CREATE TABLE stats_gap (
    owner TEXT NOT NULL DEFAULT '',
    day TEXT NOT NULL,
    days INTEGER NOT NULL DEFAULT 0,
    gaps INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (owner, day)
) WITHOUT ROWID;
INSERT INTO stats_day (owner, day, kind, outcome, entries)
    SELECT coalesce(c.owner, ''), substr(e.at, 1, 10), e.kind, coalesce(e.outcome, ''), count(*)
    FROM entry e JOIN client c ON c.id = e.client_id GROUP BY 1, 2, 3, 4;
INSERT INTO stats_gap (owner, day, days, gaps)
    SELECT owner, day, sum({_days("day", "prev")}), count(*) FROM (
        SELECT coalesce(c.owner, '') AS owner, substr(e.at, 1, 10) AS day,
            lag(substr(e.at, 1, 10)) OVER (PARTITION BY e.client_id ORDER BY e.at, e.id) AS prev
        FROM entry e JOIN client c ON c.id = e.client_id WHERE e.kind IN {CONTACTS_IN})
    WHERE prev IS NOT NULL GROUP BY owner, day;
-- The whole folder's figures of a period, summed over the owners from an index.
CREATE INDEX stats_day_day ON stats_day (day, kind, outcome, entries);
CREATE INDEX stats_gap_day ON stats_gap (day, days, gaps);
CREATE TRIGGER stats_entry_insert AFTER INSERT ON entry
BEGIN{_owner_tally("new", 1)}{_wins("new", 1)}
END;
CREATE TRIGGER stats_entry_delete AFTER DELETE ON entry
BEGIN{_owner_tally("old", -1)}{_wins("old", -1)}
END;
CREATE TRIGGER stats_entry_update AFTER UPDATE OF client_id, at, kind, outcome ON entry
BEGIN{_owner_tally("old", -1)}{_wins("old", -1)}{_owner_tally("new", 1)}{_wins("new", 1)}
END;
-- A client's history counts under its owner while the client is there: its arrival
-- (undo puts a client's entries back before it as often as after) adds what it brings,
-- its removal takes it away before its entries follow, and a change of owner ('edit
-- --owner', 'handoff', a cover's return, undo of those) moves it whole.
CREATE TRIGGER stats_client_insert AFTER INSERT ON client
WHEN EXISTS (SELECT 1 FROM entry WHERE client_id = new.id)
BEGIN{_client_tally("new.id", _NEW_OWNER, 1)}
END;
CREATE TRIGGER stats_client_delete BEFORE DELETE ON client
WHEN EXISTS (SELECT 1 FROM entry WHERE client_id = old.id)
BEGIN{_client_tally("old.id", _OLD_OWNER, -1)}
END;
CREATE TRIGGER stats_client_owner AFTER UPDATE OF owner ON client
WHEN {_OLD_OWNER} != {_NEW_OWNER}
BEGIN{_client_tally("old.id", _OLD_OWNER, -1)}{_client_tally("new.id", _NEW_OWNER, 1)}
END;
-- One manager's clients per stage, counted from an index.
CREATE INDEX client_owner_stage ON client (owner, stage);
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("m001_initial", M001_INITIAL),
    ("m002_days_off", M002_DAYS_OFF),
    ("m003_undo", M003_UNDO),
    ("m004_card_search", M004_CARD_SEARCH),
    ("m005_undo_as_data", M005_UNDO_AS_DATA),
    ("m006_folded_names", M006_FOLDED_NAMES),
    ("m007_name_order", M007_NAME_ORDER),
    ("m008_contact_index", M008_CONTACT_INDEX),
    ("m009_forms_and_imports", M009_FORMS_AND_IMPORTS),
    ("m010_cadence", M010_CADENCE),
    ("m011_contact_days", M011_CONTACT_DAYS),
    ("m012_stats", M012_STATS),
    ("m013_owners", M013_OWNERS),
    ("m014_versions", M014_VERSIONS),
    ("m015_server_functions_qualified", M015_NOTHING_ON_A_FILE),
    ("m016_owner_tallies", M016_OWNER_TALLIES),
]

LATEST = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def existing_tables(conn: sqlite3.Connection) -> list[str]:
    """The file's tables. At version 0 dossier has created none (step 1 is atomic), so
    any table there means the file belongs to another program."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def apply(conn: sqlite3.Connection, version: int) -> None:
    """Apply step ``version`` (1-based) in its own immediate transaction.

    The version is read again inside the transaction: another process may have
    migrated the file while this one waited for the lock.
    """
    name, sql = MIGRATIONS[version - 1]
    # Steps that backfill a derived column call dossier's own Python for it.
    conn.create_function("dossier_fold", 1, fold_or_none, deterministic=True)
    conn.create_function("dossier_sort_key", 1, sort_key, deterministic=True)
    conn.execute("BEGIN IMMEDIATE")
    try:
        if schema_version(conn) >= version:
            conn.execute("ROLLBACK")
            return
        for statement in _statements(sql):
            conn.execute(statement)
        conn.execute("INSERT INTO migration (version, name) VALUES (?, ?)", (version, name))
        conn.execute(f"PRAGMA user_version = {int(version)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(sql: str) -> list[str]:
    """Split a script into statements (``executescript`` would commit on its own)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
