"""The schema of record, as SQLModel classes.

These classes say what a dossier *is*: the tables, their columns, types and constraints,
with validation for code that builds rows in bulk (imports, the benchmark generator)
and a path to other databases later. They are not imported by the everyday commands:
``import sqlmodel`` costs about a second, so those commands use ``store`` over plain
``sqlite3``. ``migrations.py`` creates the same tables in SQL, and
``tests/test_migrations.py`` fails if the two ever disagree.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, Text
from sqlmodel import Field, SQLModel

from ..domain.records import FIELD_TYPES, KINDS, OUTCOMES, STAGES
from .sqlite import undo

_IN = "{column} IN ({values})"


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return _IN.format(column=column, values=", ".join(f"'{v}'" for v in values))


class Client(SQLModel, table=True):
    """One client's dossier, including its single place in the folder."""

    __tablename__ = "client"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0"),
        CheckConstraint(_one_of("stage", STAGES)),
        CheckConstraint("due IS NULL OR due_month IS NULL"),
        CheckConstraint("due_time IS NULL OR due IS NOT NULL"),
        CheckConstraint("archived_at IS NULL OR (due IS NULL AND due_month IS NULL)"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=Text)
    name_key: str = Field(sa_type=Text, index=True)
    company: str | None = Field(default=None, sa_type=Text)
    company_key: str | None = Field(default=None, sa_type=Text, index=True)
    position: str | None = Field(default=None, sa_type=Text)
    phones: str = Field(default="[]", sa_type=Text)  # JSON list of strings
    email: str | None = Field(default=None, sa_type=Text)
    stage: str = Field(default="lead", sa_type=Text, index=True)  # m012: stats count by it
    due: str | None = Field(default=None, sa_type=Text)  # YYYY-MM-DD: a day tab
    due_month: str | None = Field(default=None, sa_type=Text)  # YYYY-MM: a month tab
    due_time: str | None = Field(default=None, sa_type=Text)  # HH:MM, only with a day
    purpose: str | None = Field(default=None, sa_type=Text)  # "for": the next contact's topic
    filed_at: str | None = Field(default=None, sa_type=Text)
    archived_at: str | None = Field(default=None, sa_type=Text)
    archive_reason: str | None = Field(default=None, sa_type=Text)
    created_at: str = Field(sa_type=Text, index=True)  # indexed by m011 ('review', 'stats')
    updated_at: str = Field(sa_type=Text)
    # The keys without accents (``store.fold``), so that "nunez" finds Núñez by index.
    # Added by m006, hence after the others; NULL only in rows another program wrote.
    name_fold: str | None = Field(default=None, sa_type=Text, index=True)
    company_fold: str | None = Field(default=None, sa_type=Text, index=True)
    # The order names are read in (``store.sort_key``), added by m007; indexed over the
    # active clients (a partial index, declared in the migration).
    name_sort: str | None = Field(default=None, sa_type=Text)
    # m009: the e-mails after the first (a JSON list), and the UID a vCard carried.
    more_emails: str = Field(default="[]", sa_type=Text, sa_column_kwargs={"server_default": "[]"})
    uid: str | None = Field(default=None, sa_type=Text)
    # m010: the client's own cadence, e.g. "3w" (``domain.cadence``); NULL: none.
    every: str | None = Field(default=None, sa_type=Text)
    # m011: the days of the first and latest call, meeting, e-mail or visit, kept by
    # triggers on entry (derived, never written by the engine; first_contact indexed).
    first_contact: str | None = Field(default=None, sa_type=Text, index=True)
    last_contact: str | None = Field(default=None, sa_type=Text)
    # m013: the user name of the manager who works the dossier (``domain.owners``);
    # indexed with the day and the month tab (one manager's tabs by index).
    owner: str | None = Field(default=None, sa_type=Text, index=True)
    # m014: moved on by triggers at every change to the card or its history; a front end
    # that showed version N refuses to overwrite a dossier now at another.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class Tag(SQLModel, table=True):
    __tablename__ = "tag"

    client_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("client.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    tag: str = Field(sa_type=Text, primary_key=True, index=True)


class ExtraField(SQLModel, table=True):
    """A team's own form field (key/value) on a dossier."""

    __tablename__ = "field"

    client_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("client.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    key: str = Field(sa_type=Text, primary_key=True)
    value: str = Field(sa_type=Text)


class FieldDef(SQLModel, table=True):
    """One field of the team's own form, which every dossier carries (m009)."""

    __tablename__ = "field_def"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0"),
        CheckConstraint(_one_of("type", FIELD_TYPES)),
        CheckConstraint("required IN (0, 1)"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=Text, unique=True)
    type: str = Field(default="text", sa_type=Text)
    choices: str = Field(default="[]", sa_type=Text)  # JSON list, for a choice
    required: int = Field(default=0)
    label: str | None = Field(default=None, sa_type=Text)
    position: int  # definition order


class Entry(SQLModel, table=True):
    """One line of history: a call, meeting, e-mail, visit or note."""

    __tablename__ = "entry"
    __table_args__ = (
        CheckConstraint(_one_of("kind", KINDS)),
        CheckConstraint("outcome IS NULL OR " + _one_of("outcome", OUTCOMES)),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("client.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    at: str = Field(sa_type=Text, index=True)  # local timestamp YYYY-MM-DDTHH:MM:SS (m011)
    kind: str = Field(sa_type=Text)
    outcome: str | None = Field(default=None, sa_type=Text)
    text: str = Field(default="", sa_type=Text)


class DayOff(SQLModel, table=True):
    """A personal day off, or a run of them (holidays, a trade fair): no calls planned."""

    __tablename__ = "day_off"
    __table_args__ = (CheckConstraint("first <= last"),)

    id: int | None = Field(default=None, primary_key=True)
    first: str = Field(sa_type=Text)  # YYYY-MM-DD
    last: str = Field(sa_type=Text, index=True)  # YYYY-MM-DD, inclusive
    note: str | None = Field(default=None, sa_type=Text)


class Change(SQLModel, table=True):
    """One command that changed data, as ``dossier undo --list`` shows it."""

    __tablename__ = "change"

    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(sa_type=Text)
    command: str = Field(sa_type=Text)
    # m014: whose change it is ('undo' reverts the user's own); NULL before m014.
    who: str | None = Field(default=None, sa_type=Text, index=True)


class UndoStep(SQLModel, table=True):
    """What reverting one row of a change needs, as data (reverted newest first).

    Data, not SQL: ``undo`` builds each statement itself from a fixed set, so an edited
    file cannot make it run anything else.
    """

    __tablename__ = "undo_step"
    __table_args__ = (
        CheckConstraint(_one_of("op", undo.OPS)),
        CheckConstraint(_one_of("tbl", undo.TABLES)),
    )

    id: int | None = Field(default=None, primary_key=True)
    change_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("change.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    op: str = Field(sa_type=Text)  # what happened to the row: insert, update, delete...
    tbl: str = Field(sa_type=Text)  # which table
    row_id: int = Field(sa_type=Integer)  # the row's rowid; a delete_range's first one
    last_id: int | None = Field(default=None, sa_type=Integer)  # a delete_range's last rowid
    old: str | None = Field(default=None, sa_type=Text)  # JSON object: the old column values


class StatsDay(SQLModel, table=True):
    """How many history entries a day holds, per kind and outcome ('' for none): kept by
    triggers on ``entry`` (m012), so that ``dossier stats`` never reads the history; per
    owner (m016: the entry's client's, '' for none), the whole folder being the sum."""

    __tablename__ = "stats_day"

    owner: str = Field(default="", sa_type=Text, primary_key=True)
    day: str = Field(sa_type=Text, primary_key=True, index=True)  # YYYY-MM-DD
    kind: str = Field(sa_type=Text, primary_key=True)
    outcome: str = Field(default="", sa_type=Text, primary_key=True)
    entries: int = Field(default=0)


class StatsGap(SQLModel, table=True):
    """The gaps between a client's consecutive contacts that end on a day: how many and
    their days added up (triggers on ``entry``, m012), per owner as ``stats_day``."""

    __tablename__ = "stats_gap"

    owner: str = Field(default="", sa_type=Text, primary_key=True)
    day: str = Field(sa_type=Text, primary_key=True, index=True)  # the later contact's
    days: int = Field(default=0)
    gaps: int = Field(default=0)


class StatsWin(SQLModel, table=True):
    """Each win (an entry with the outcome ``won``) with its client's contacts up to it,
    itself included: kept by triggers on ``entry`` (m012)."""

    __tablename__ = "stats_win"

    entry_id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(index=True)
    at: str = Field(sa_type=Text, index=True)
    contacts: int
    days: int | None = None  # from the client's first contact to the win's day


class StageChange(SQLModel, table=True):
    """A client's move from one stage to another, on the day of the command (m012)."""

    __tablename__ = "stage_change"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("client.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    day: str = Field(sa_type=Text, index=True)  # YYYY-MM-DD
    from_stage: str = Field(sa_type=Text)
    to_stage: str = Field(sa_type=Text)


class DayOpen(SQLModel, table=True):
    """The overdue pile at the start of a day, written by the day's first command (m012)."""

    __tablename__ = "day_open"

    day: str = Field(sa_type=Text, primary_key=True)  # YYYY-MM-DD
    overdue: int


class Cover(SQLModel, table=True):
    """A cover for an absence (m013): dossiers handed from one manager to another until
    a day, when those the colleague still owns go back (``dossier handoff --until``)."""

    __tablename__ = "cover"

    id: int | None = Field(default=None, primary_key=True)
    from_user: str = Field(sa_type=Text)
    to_user: str = Field(sa_type=Text)
    until: str = Field(sa_type=Text, index=True)  # YYYY-MM-DD (indexed while open)
    reason: str | None = Field(default=None, sa_type=Text)
    created_at: str = Field(sa_type=Text)
    closed_at: str | None = Field(default=None, sa_type=Text)


class CoverClient(SQLModel, table=True):
    """A dossier a cover handed over (m013)."""

    __tablename__ = "cover_client"

    cover_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("cover.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    client_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("client.id", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
            index=True,
        )
    )


class Migration(SQLModel, table=True):
    __tablename__ = "migration"

    version: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=Text)
    applied_at: str = Field(sa_type=Text)
