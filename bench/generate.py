"""Build a realistic dossier database for the benchmark, through dossier's own bulk path.

Default: 100,000 clients and 1,000,000 history entries over the three years before
"today" (``DOSSIER_TODAY`` or the real date); ``--small`` gives 5,000 / 50,000. The rows
are generated once, in memory, then inserted twice and timed twice:

1. a plain ``sqlite3`` ``executemany`` of the finished tuples into a scratch database
   created by ``open_database`` (same schema, triggers, full-text index and pragmas);
2. ``dossier.storage.sqlite.bulk.load`` of the same rows, as dicts, into ``--db`` inside one
   ``db.transaction(write=True)``.

Only the inserts and the commit are timed (the commit includes SQLite's automatic WAL
checkpoint). The two databases are then compared row by row, and the scratch one is
deleted. The target is bulk <= 2x the baseline.

Facts the runner needs (the client with exactly 500 entries, the word for ``find``, the
clients ``file`` and ``log`` write to, "today") are printed and saved next to the
database as ``<db>.bench.json``.

    .venv/bin/python bench/generate.py --db /tmp/dossier-bench.db
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dossier.storage.sql.bulk import client_values
from dossier.storage.sqlite import bulk
from dossier.storage.sqlite.db import open_database


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


WORD = "tungsten"
WORD_NOTES = 300
SHOW_ENTRIES = 500
TODAY_DUE = 30
TODAY_TIMES = ("09:00", "10:30", "14:00", "16:15")
YEARS_DAYS = 3 * 365

FIRST_NAMES = _words(
    "Anna Ben Carla David Elena Farid Grace Hiro Ingrid Jamal Katarzyna Luis Maya Noah "
    "Olivia Pavel Quinn Rosa Samir Tess Umar Vera William Xenia Yusuf Zoe Aiko Bruno Chloé "
    "Dmitri Emma Felix Gabriela Henrik Isabel Jonas Karin Leo Mira Nils Oskar Paula Rafael "
    "Sofia Tomás Ursula Viktor Wen Yara Zeynep Ahmed Beatriz Cyril Daniela Emil Fatima "
    "Georg Hana Ivan Julia Kenji Lucía Marek Nadia Omar Petra Ravi Sara Theo Uma Valentina "
    "Wojciech Xavier Yasmin Zoltán Agnieszka Björn Camille Diego Eva Francesco Greta Hugo "
    "Irene Jakub Klara Lars Magdalena Nikolai Orla Pierre Renée Stefan Tanja Ulrich Vanessa "
    "Walter Ximena Yuki Zofia Adriana Bernd Cristina Dominik Elif Fernando Gudrun Helena "
    "Igor Jana Kevin Lea Matteo Nora Oliver Priya Rolf Sven Timo Ute Vincent Wiebke Zlatan "
    "José Zoë Łukasz Søren Ana-María Jean-Luc Mei Arjun Chidi Amara Kwame Aylin Maximilian"
)

LAST_NAMES = _words(
    "Kowalski Okafor Mendes Chen Petrova Haddad O'Neill Tanaka Larsen Wright Nowak Fernández "
    "Goldberg Fischer Brown Novak Murphy Bianchi Patel Van-Dijk Siddiqui Müller Scott Ivanova "
    "Demir Martin Sato Costa Dubois Volkov Johansson Wagner Ruiz Berg Santos Keller "
    "Lindqvist Rossi Shah Andersen Schneider Weber Becker Hoffmann Schulz Koch Richter Klein "
    "Wolf Neumann Schwarz Zimmermann Krüger Hartmann Lange Werner Krause Meier Lehmann García "
    "Martínez López González Rodríguez Sánchez Pérez Gómez Díaz Moreno Álvarez Romero Navarro "
    "Torres Domínguez Vázquez Ramos Gil Serrano Molina Blanco Suárez Ortega Delgado Castro "
    "Ortiz Rubio Marín Sanz Iglesias Núñez Medina Garrido Smith Jones Taylor Williams Davies "
    "Evans Thomas Johnson Roberts Walker Robinson Thompson White Hughes Edwards Green Hall "
    "Wood Harris Lewis Clarke Jackson Turner Hill Moore Cooper Ward Morris King Watson Baker "
    "Harrison Morgan Patel Young Allen Mitchell James Anderson Phillips Lee Bell Parker Kumar "
    "Singh Nakamura Yamamoto Kobayashi Wang Li Zhang Liu Yang Huang Zhao Kim Park Nguyen "
    "Tran Silva Pereira Oliveira Ferreira Almeida Jensen Nielsen Hansen Pedersen Eriksson "
    "Nilsson Virtanen Korhonen Kovács Horváth Dvořák Popescu Yilmaz Kaya Öztürk Papadopoulos"
)

COMPANY_WORDS = _words(
    "Nordlicht Bright Harbor Cedar Fjord Alpen Baltic Crescent Aurora Summit Northwind "
    "Bluewater Silverline Redwood Oakridge Granite Meridian Evergreen Sunrise Horizon "
    "Pinnacle Riverside Lakeside Highland Coastal Union Atlas Orion Vega Polaris Keystone "
    "Ironbridge Greenfield Westbrook Eastgate Southport Kingsway Falcon Heron Lynx Otter "
    "Maple Willow Juniper Saffron Amber Cobalt Copper Indigo Crystal Quartz Sterling "
    "Beacon Compass Anchor Lantern Harvest Orchard Meadow Prairie Canyon Delta Tundra Zenith"
)

SECTORS = _words(
    "Logistics|Dental|Foods|Machinery|Hotels|Precision|Outdoor|Fitness Clubs|Print House|"
    "Legal|Cargo|Bakery Group|Veterinary|Pharmacies|Florists|IT Services|Maschinenbau|"
    "Estates|Language School|Textiles|Accountants|Tea Rooms|Construction|Auto Parts|"
    "Wellness Spa|Solar|Travel|Marine Supplies|Clinic|Brewing|Architects|Coffee Roasters|"
    "Electrical|Plastics|Packaging|Furniture|Steelworks|Engineering|Interiors|Security|"
    "Cleaning Services|Catering|Media|Software|Labs|Optics|Farms|Winery|Timber|Tools",
    sep="|",
)

SUFFIXES = ("Ltd", "GmbH", "& Co", "Group", "S.A.", "Inc", "B.V.", "", "", "", "", "")

POSITIONS = _words(
    "Head of Procurement|Owner|Export Manager|Practice Manager|Creative Director|"
    "Purchasing Lead|Operations Director|Plant Manager|Category Buyer|Founder|Office Manager|"
    "Store Manager|Managing Partner|Fleet Manager|Finance Director|Technical Buyer|"
    "Clinic Owner|Regional Manager|Co-owner|CTO|CEO|CFO|Einkaufsleiterin|Director|Principal|"
    "Sales Director|Partner|Project Manager|General Manager|Head of Sales|Buyer|"
    "Administrator|Brewmaster|Office Lead|COO|Contracts Manager|Facilities Manager|"
    "Marketing Manager|IT Manager|Quality Manager",
    sep="|",
)

FIRST_CALL = "first call: introduce our service"

TAGS = (
    "key-account",
    "referral",
    "trade-fair",
    "tender",
    "upsell",
    "local",
    "vip",
    "reseller",
    "public-sector",
    "newsletter",
    "churn-risk",
    "partner",
    "north",
    "south",
    "export",
)

PURPOSES = (
    "send the revised quote",
    "follow up on the proposal",
    "confirm the delivery date",
    "check the board's decision",
    "present the new price list",
    "ask for a referral",
    "renewal talk",
    "sort out the credit note",
    "book a site visit",
    "chase the signed contract",
    "check the invoice was paid",
    "demo of the new range",
    "quarterly review",
    "discuss the tender documents",
)

ARCHIVE_REASONS = (
    "lost to a competitor",
    "closed the business",
    "no longer interested",
    "duplicate card",
    "moved abroad",
    "merged into the group account",
)

STAGE_WEIGHTS = {"lead": 8, "prospect": 25, "negotiation": 10, "client": 45, "dormant": 12}

KIND_WEIGHTS = {"call": 55, "email": 20, "meeting": 8, "visit": 5, "note": 12}

OUTCOME_WEIGHTS: dict[str, dict[str | None, int]] = {
    "call": {
        "reached": 50,
        "no-answer": 22,
        "left-message": 15,
        "meeting-set": 6,
        "proposal-sent": 4,
        "won": 2,
        "lost": 1,
    },
    "email": {None: 60, "proposal-sent": 30, "reached": 10},
    "meeting": {"reached": 70, "meeting-set": 10, "won": 12, "lost": 8},
    "visit": {"reached": 80, "won": 12, "lost": 8},
    "note": {None: 100},
}

OPENERS = {
    "call": (
        "Called the buyer.",
        "Spoke with them on the mobile.",
        "Short call with the assistant.",
        "Follow-up call after the trade fair.",
        "Called back as promised.",
        "They called us this morning.",
        "Quick call between two of their meetings.",
        "Long call with the owner and the finance lead.",
    ),
    "email": (
        "Sent an e-mail with the documents.",
        "Replied to their e-mail.",
        "E-mail from the purchasing team.",
        "Sent the follow-up e-mail.",
        "They answered the proposal by e-mail.",
    ),
    "meeting": (
        "Meeting at their office.",
        "Video meeting with the team.",
        "Met them at the trade fair stand.",
        "Lunch meeting with the director.",
        "Review meeting with purchasing and finance.",
    ),
    "visit": (
        "Visited the site.",
        "Dropped by with samples.",
        "Visited the new warehouse.",
        "On-site visit with our technician.",
    ),
    "note": (
        "Note:",
        "Reminder for next time:",
        "Internal note:",
        "Background:",
    ),
}

OUTCOME_LINES: dict[str | None, tuple[str, ...]] = {
    "reached": (
        "Good conversation, they are open to a proposal.",
        "Reached the decision maker at last.",
        "Talked for twenty minutes, friendly as always.",
    ),
    "no-answer": (
        "No answer on the mobile; try the office line next time.",
        "Nobody picked up, the line went to a full voicemail box.",
        "No answer again; the switchboard says she is travelling.",
    ),
    "left-message": (
        "Left a message with the assistant.",
        "Left a voicemail asking for a call back.",
        "Left a message at reception; they will pass it on.",
    ),
    "meeting-set": (
        "Agreed to meet next week to go through the numbers with finance.",
        "Booked a visit for the end of the month.",
        "They want a demo for the whole team; date to confirm.",
    ),
    "proposal-sent": (
        "Sent the proposal with the volume discount.",
        "Proposal v2 sent, with the longer payment terms they asked for.",
        "Sent the quote and the reference list.",
    ),
    "won": (
        "Signed! First order confirmed.",
        "They accepted the offer; contract signed today.",
        "Won the renewal for another two years.",
    ),
    "lost": (
        "Went with a cheaper supplier. Keep in touch for next year's tender.",
        "Lost it on price; the competitor undercut us by a lot.",
        "They decided to keep their current supplier for now.",
    ),
    None: ("",),
}

NUMBERS = ("5", "12", "20", "25", "40", "60", "80", "120", "150", "200", "500")
PERCENTS = ("3", "5", "7", "8", "10", "12", "15")
MONTH_NAMES = _words(
    "January February March April May June July August September October November December"
)

TOPICS: dict[str, tuple[str, ...]] = {
    "pricing": (
        "Wants the price for {n} more units before the end of the quarter.",
        "Asked for a {p}% volume discount if they order {n} units at once.",
        "Finds the new price list too high compared with last year.",
        "Will compare our quote with two other vendors.",
        "Asked whether the price includes installation and training.",
        "Budget is approved for {m}; wants a revised quote with delivery dates.",
    ),
    "renewal": (
        "The contract runs out in {m}; they want to renew but renegotiate the terms.",
        "Discussed the renewal. Happy with the service overall.",
        "Renewal is on the agenda of the board meeting in {m}.",
        "They would sign a three-year renewal for an extra {p}% off.",
        "Wants the renewal to include the premium support plan.",
    ),
    "complaint": (
        "Complaint about the last delivery: {n} boxes damaged. Promised a credit note.",
        "Unhappy with the response time of our support line.",
        "The invoice had the wrong VAT number; sent a corrected one.",
        "Two items were missing from the order; shipping them today.",
        "Escalated the complaint to the service manager.",
    ),
    "delivery": (
        "Delivery moved to the first week of {m} because of the warehouse move.",
        "Needs the goods on site before {m}; checking with logistics.",
        "Asked for split deliveries: {n} units now, the rest next month.",
        "Delivery went fine; they confirmed receipt of everything.",
        "Their new site needs deliveries before 7 in the morning.",
    ),
    "payment": (
        "Negotiating payment terms: they want 60 days, we offer 45 with {p}% off.",
        "The last invoice is thirty days overdue; they promised payment this week.",
        "Finance asks for a single monthly invoice instead of one per delivery.",
        "Agreed on a deposit of {p}% with the order.",
    ),
    "competition": (
        "A competitor offered them a free trial; we should match it.",
        "They are testing another supplier on one product line.",
        "Mentioned that our main competitor raised prices in {m}.",
        "Happy with us, but procurement must get three quotes anyway.",
    ),
    "product": (
        "Interested in the new range; asked for the technical data sheets.",
        "Sent samples of the new packaging; they liked the recycled option.",
        "Needs the product certified for their export market.",
        "Asked about spare parts and the warranty extension.",
        "Wants training for {n} people on the new software release.",
    ),
    "people": (
        "New purchasing manager starts in {m}; introduce ourselves then.",
        "Prefers calls before 10:00. The assistant handles the diary.",
        "The owner is retiring; the daughter takes over the business.",
        "Our contact moved to the head office; ask for her successor.",
        "Decision moved to the board; call back after the meeting.",
    ),
}

NEXT_STEPS = (
    "Send the revised quote by Friday.",
    "Call back next week.",
    "Follow up after their board meeting.",
    "Prepare the contract draft.",
    "Ask our logistics team for a firm date.",
    "Book a visit with the technician.",
    "Check stock before promising anything.",
    "Send the case study they asked for.",
    "Reminder: they close for holidays in August.",
    "Loop in the key-account manager.",
)

WORD_SENTENCES = (
    f"Asked whether we can supply {WORD} carbide inserts for their new line.",
    f"They want a quote for {WORD} electrodes, about {{n}} pieces a month.",
    f"Their {WORD} supplier is late again; an opening for us.",
    f"Sent the data sheet for the {WORD} alloy they asked about.",
)

PHONE_FORMATS = (
    "+44 20 7### ####",
    "+44 161 ### ####",
    "+49 30 ########",
    "+49 89 #######",
    "+33 1 ## ## ## ##",
    "+34 91 ### ## ##",
    "+39 02 ########",
    "+1 212-555-####",
    "+31 20 ### ####",
    "+46 8 ### ### ##",
    "07### ######",
)

TLDS = ("com", "co.uk", "de", "fr", "es", "it", "nl", "se", "example")


def _expand(templates: Iterable[str]) -> tuple[str, ...]:
    """Fill the slots of every template with a few values, once, so notes are cheap."""
    out: list[str] = []
    for template in templates:
        if "{" not in template:
            out.append(template)
            continue
        for i in range(8):
            out.append(
                template.format(
                    n=NUMBERS[(i * 3) % len(NUMBERS)],
                    p=PERCENTS[(i * 5) % len(PERCENTS)],
                    m=MONTH_NAMES[(i * 7) % 12],
                )
            )
    return tuple(out)


TOPIC_SENTENCES = tuple(_expand(sentences) for sentences in TOPICS.values())
WORD_LINES = _expand(WORD_SENTENCES)


@dataclass
class Dataset:
    """Everything that is inserted, plus what the runner needs to know about it."""

    today: date
    clients: list[dict[str, Any]]
    entries: list[tuple[Any, ...]]  # (client_id, at, kind, outcome, text), oldest first
    tags: list[tuple[int, str]]
    show_client: int
    file_client: int
    log_client: int
    word_notes: int
    counts: dict[str, int] = field(default_factory=dict)


def owner_name(number: int) -> str:
    """The benchmark's team members: owner01, owner02…"""
    return f"owner{number + 1:02d}"


def _weighted_pool(weights: dict[Any, int]) -> list[Any]:
    return [value for value, weight in weights.items() for _ in range(weight)]


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def _phone(rng: random.Random) -> str:
    template = rng.choice(PHONE_FORMATS)
    return "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in template)


def _note(rng: random.Random, kind: str, outcome: str | None, extra: str | None) -> str:
    """A history note of 100-400 characters, built from sentence fragments."""
    target = 100 + int(rng.random() ** 1.6 * 290)
    parts = [rng.choice(OPENERS[kind])]
    line = rng.choice(OUTCOME_LINES[outcome])
    if line:
        parts.append(line)
    if extra is not None:
        parts.append(extra)
    length = sum(len(p) + 1 for p in parts)
    topic = rng.choice(TOPIC_SENTENCES)
    while length < target:
        sentence = rng.choice(topic) if rng.random() < 0.7 else rng.choice(NEXT_STEPS)
        if length + len(sentence) + 1 > 400:
            if length >= 100:
                break
            continue
        parts.append(sentence)
        length += len(sentence) + 1
        if rng.random() < 0.25:
            topic = rng.choice(TOPIC_SENTENCES)
    return " ".join(parts)


def build(
    n_clients: int,
    n_entries: int,
    today: date,
    seed: int,
    overdue_share: float = 0.02,
    progress: bool = True,
    owners: int = 1,
) -> Dataset:
    """All rows, in memory: clients (dicts as the bulk path takes them), entries, tags.

    With ``owners`` > 1 the clients are spread over ``owner01``… in turn (the fixtures'
    clients are ``owner01``'s) and each owner's folder has the shape of a one-person
    folder: its own ~30 dossiers due today, its near days held near capacity. With one
    owner the folder is the one-person folder it always was (no owner: the first
    command's user adopts it)."""
    rng = random.Random(seed)
    started = time.perf_counter()

    # --- who is who ---------------------------------------------------------------
    show_id = n_clients // 2 + 1
    file_id = n_clients // 3 + 1
    log_id = n_clients // 4 + 1
    specials = {show_id, file_id, log_id}

    # The three special clients are active, filed in the future, with a history.
    order = [i for i in range(1, n_clients + 1) if i not in specials]
    rng.shuffle(order)
    n_archived = round(n_clients * 0.03)
    n_unfiled = round(n_clients * 0.05)
    n_overdue = round(n_clients * overdue_share)
    n_today = min(TODAY_DUE * owners, max(0, len(order) - n_archived - n_unfiled - n_overdue))
    n_month = round(n_clients * 0.08)
    place: dict[int, str] = {}
    cursor = 0
    for kind, count in (
        ("archived", n_archived),
        ("unfiled", n_unfiled),
        ("overdue", n_overdue),
        ("today", n_today),
        ("month", n_month),
    ):
        for cid in order[cursor : cursor + count]:
            place[cid] = kind
        cursor += count
    for cid in order[cursor:]:
        place[cid] = "future"
    for cid in specials:
        place[cid] = "future"

    # --- how much history each client has --------------------------------------------
    n_show = min(SHOW_ENTRIES, n_entries)
    counts = [0] * (n_clients + 1)
    counts[show_id] = n_show
    # About 8% never contacted (new leads): no history at all.
    with_history = [
        cid for cid in range(1, n_clients + 1) if cid == show_id or rng.random() >= 0.08
    ]
    others = [cid for cid in with_history if cid != show_id]
    weights = [rng.lognormvariate(0.0, 0.9) for _ in others]
    rest = n_entries - n_show
    if others and rest > 0:
        for cid in rng.choices(others, weights=weights, k=rest):
            counts[cid] += 1
    # Each client's history starts on its "first contact" day, up to three years ago.
    start = [0] * (n_clients + 1)
    for cid in range(1, n_clients + 1):
        if counts[cid]:
            start[cid] = rng.randint(30, YEARS_DAYS)
        else:
            start[cid] = rng.randint(1, 120)
    start[show_id] = YEARS_DAYS

    work_offsets = [
        off for off in range(1, YEARS_DAYS + 1) if (today - timedelta(days=off)).weekday() < 5
    ]
    day_text = {off: (today - timedelta(days=off)).isoformat() for off in work_offsets}
    clock = [f"T{h:02d}:{m:02d}:{s:02d}" for h in range(8, 19) for m in range(60) for s in (0, 30)]

    stamps: list[tuple[str, int]] = []
    for cid in range(1, n_clients + 1):
        n = counts[cid]
        if not n:
            continue
        k = bisect_right(work_offsets, start[cid])
        if k == 0:
            k = 1
        for _ in range(n):
            off = work_offsets[rng.randrange(k)]
            stamps.append((day_text[off] + rng.choice(clock), cid))
    stamps.sort()
    if progress:
        print(f"  timestamps: {len(stamps):,} ({time.perf_counter() - started:.1f} s)")

    # --- the history itself, oldest first (ids grow with time, as in real use) ------
    kind_pool = _weighted_pool(KIND_WEIGHTS)
    outcome_pools = {kind: _weighted_pool(w) for kind, w in OUTCOME_WEIGHTS.items()}
    n_word = min(WORD_NOTES, max(1, len(stamps) // 100)) if stamps else 0
    word_at = set(rng.sample(range(len(stamps)), n_word)) if n_word else set()
    last_at: dict[int, str] = {}
    contacted: set[int] = set()
    entries: list[tuple[Any, ...]] = []
    append = entries.append
    for index, (at, cid) in enumerate(stamps):
        kind = rng.choice(kind_pool)
        outcome = rng.choice(outcome_pools[kind])
        extra = rng.choice(WORD_LINES) if index in word_at else None
        append((cid, at, kind, outcome, _note(rng, kind, outcome, extra)))
        last_at[cid] = at
        if kind != "note":
            contacted.add(cid)
    del stamps
    if progress:
        print(f"  notes: {len(entries):,} ({time.perf_counter() - started:.1f} s)")

    # --- the cards ----------------------------------------------------------------
    first_slugs = {n: _ascii_slug(n) for n in FIRST_NAMES}
    last_slugs = {n: _ascii_slug(n) for n in LAST_NAMES}
    stage_pool = _weighted_pool(STAGE_WEIGHTS)
    future_days = [
        today + timedelta(days=d)
        for d in range(1, 366)
        if (today + timedelta(days=d)).weekday() < 5
    ]
    near, far = future_days[:20], future_days[20:]
    near_left = {(k, day): rng.randint(25, 35) for k in range(owners) for day in near}
    # Who works each dossier (0: owner01): in turn, the fixtures owner01's; today's
    # dossiers dealt out in turn too, so that each owner has its own morning.
    owner_of = {cid: (cid - 1) % owners for cid in range(1, n_clients + 1)}
    for cid in specials:
        owner_of[cid] = 0
    for k, cid in enumerate(c for c in order if place[c] == "today"):
        owner_of[cid] = k % owners
    past_days = [
        today - timedelta(days=d) for d in range(1, 31) if (today - timedelta(days=d)).weekday() < 5
    ]
    first_of_month = today.replace(day=1)
    months = []
    for k in range(13):
        year, month = divmod(first_of_month.month - 1 + k, 12)
        months.append(f"{first_of_month.year + year:04d}-{month + 1:02d}")
    this_month_left = 25
    yesterday = (today - timedelta(days=1)).isoformat()

    seen: set[tuple[str, str]] = set()
    clients: list[dict[str, Any]] = []
    tags: list[tuple[int, str]] = []
    today_slots = [0] * owners
    tally = {"archived": 0, "unfiled": 0, "overdue": 0, "today": 0, "timed_today": 0}
    tally.update(month_tab=0, future=0, new_clients=0)
    for cid in range(1, n_clients + 1):
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            last_shown = last.replace("-", " ")
            name = f"{first} {last_shown}"
            if rng.random() < 0.35:
                company = f"{last_shown} {rng.choice(SECTORS)}"
            else:
                company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(SECTORS)}"
            suffix = rng.choice(SUFFIXES)
            if suffix:
                company = f"{company} {suffix}"
            if cid == show_id:
                name, company = "Philippa Quennell-Ashworth", "Quennell Precision Optics Ltd"
            if (name, company) not in seen:
                seen.add((name, company))
                break
        domain = _ascii_slug(company.split()[0]) + _ascii_slug(company.split()[1])
        n_phones = rng.choices((0, 1, 2), (5, 70, 25))[0]
        phones = [_phone(rng) for _ in range(n_phones)]
        email = (
            f"{first_slugs.get(first, 'info')}.{last_slugs.get(last, 'office')}"
            f"@{domain}.{rng.choice(TLDS)}"
            if rng.random() < 0.85 and cid != show_id
            else ("p.quennell@quennell-optics.example" if cid == show_id else None)
        )
        created = (today - timedelta(days=start[cid] + 1)).isoformat() + rng.choice(clock)
        latest = last_at.get(cid)
        stage = rng.choice(stage_pool) if latest else "lead"
        row: dict[str, Any] = {
            "id": cid,
            "name": name,
            "company": company,
            "position": rng.choice(POSITIONS) if rng.random() < 0.8 else None,
            "phones": phones,
            "email": email,
            "stage": stage,
            "due": None,
            "due_month": None,
            "due_time": None,
            "purpose": None,
            "filed_at": None,
            "archived_at": None,
            "archive_reason": None,
            "created_at": created,
            "updated_at": latest or created,
        }
        where = place[cid]
        tally[where if where != "month" else "month_tab"] += 1
        if where == "archived":
            row["archived_at"] = min((latest or created)[:10], yesterday) + "T17:00:00"
            row["archive_reason"] = rng.choice(ARCHIVE_REASONS)
            row["stage"] = rng.choice(("dormant", "client", "prospect"))
            row["updated_at"] = max(row["archived_at"], row["updated_at"])
        elif where != "unfiled":
            if where == "overdue":
                row["due"] = rng.choice(past_days).isoformat()
            elif where == "today":
                row["due"] = today.isoformat()
                slot = today_slots[owner_of[cid]]
                if slot < len(TODAY_TIMES):
                    row["due_time"] = TODAY_TIMES[slot]
                    tally["timed_today"] += 1
                today_slots[owner_of[cid]] += 1
            elif where == "month":
                if this_month_left > 0:
                    row["due_month"] = months[0]
                    this_month_left -= 1
                else:
                    row["due_month"] = rng.choice(months[1:])
            else:
                mine = owner_of[cid]
                open_near = [day for day in near if near_left[mine, day] > 0]
                if open_near and rng.random() < 0.5:
                    day = rng.choice(open_near)
                    near_left[mine, day] -= 1
                else:
                    day = rng.choice(far) if far else today + timedelta(days=1)
                row["due"] = day.isoformat()
                if rng.random() < 0.05:
                    row["due_time"] = rng.choice(TODAY_TIMES)
            if cid not in contacted:
                row["purpose"] = FIRST_CALL
            elif rng.random() < 0.8:
                row["purpose"] = rng.choice(PURPOSES)
            row["filed_at"] = latest or created
        if cid not in contacted:
            tally["new_clients"] += 1
        if owners > 1:
            row["owner"] = owner_name(owner_of[cid])
        clients.append(row)
        if rng.random() < 0.4:
            for tag in rng.sample(TAGS, rng.choices((1, 2, 3), (60, 30, 10))[0]):
                tags.append((cid, tag))
    if progress:
        print(f"  cards: {len(clients):,} ({time.perf_counter() - started:.1f} s)")
    return Dataset(
        today=today,
        clients=clients,
        entries=entries,
        tags=tags,
        show_client=show_id,
        file_client=file_id,
        log_client=log_id,
        word_notes=n_word,
        counts=tally,
    )


# --- inserting ------------------------------------------------------------------------


def baseline_rows(data: Dataset, cols: Sequence[str]) -> list[tuple[Any, ...]]:
    """The client rows exactly as the bulk path will write them (its own row building,
    done here before the clock starts), as plain tuples."""
    return [tuple(client_values(row).get(c) for c in cols) for row in data.clients]


def time_baseline(path: Path, data: Dataset) -> float:
    """Plain ``executemany`` of the finished tuples, in one transaction."""
    client_cols = bulk.columns("client")
    entry_cols = [c for c in bulk.columns("entry") if c != "id"]
    tag_cols = bulk.columns("tag")
    client_rows = baseline_rows(data, client_cols)

    def sql(table: str, cols: Sequence[str]) -> str:
        return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"

    db = open_database(path)
    conn = db.conn
    try:
        gc.collect()
        gc.freeze()
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql("client", client_cols), client_rows)
        # The same SQL work as the bulk path: the stats tallies added in three
        # statements after the history, not by a trigger per row (20 times slower).
        ids = [row[client_cols.index("id")] for row in client_rows]
        with bulk.stats_filled_after(conn, ids):
            conn.executemany(sql("entry", entry_cols), data.entries)
        conn.executemany(sql("tag", tag_cols), data.tags)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        gc.unfreeze()
    finally:
        db.close()
    return elapsed


ENTRY_KEYS = ("client_id", "at", "kind", "outcome", "text")


def as_dicts(entries: list[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
    """The entry tuples as the dicts the bulk path takes, one at a time.

    Built lazily rather than as a second list: a million dicts would add about 250 MB on
    top of the notes themselves. The cost of building them is measured on its own
    (``dict_seconds``) and reported next to the bulk time, which includes it.
    """
    for row in entries:
        yield dict(zip(ENTRY_KEYS, row, strict=True))


def time_dicts(entries: list[tuple[Any, ...]]) -> float:
    """How long building (and dropping) the entry dicts takes, without inserting them."""
    started = time.perf_counter()
    for _ in as_dicts(entries):
        pass
    return time.perf_counter() - started


def time_bulk(path: Path, data: Dataset) -> tuple[float, int, int]:
    """The bulk loader inside one write transaction, as an import would run it."""
    tags = [{"client_id": cid, "tag": tag} for cid, tag in data.tags]
    db = open_database(path)
    try:
        gc.collect()
        gc.freeze()
        started = time.perf_counter()
        with db.transaction(write=True) as conn:
            n_clients, n_entries = bulk.load(conn, data.clients, as_dicts(data.entries), tags)
        elapsed = time.perf_counter() - started
        gc.unfreeze()
    finally:
        db.close()
    return elapsed, n_clients, n_entries


def digest(path: Path) -> dict[str, str]:
    """A fingerprint of each table's rows, to prove both paths wrote the same data."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table, order in (("client", "id"), ("entry", "id"), ("tag", "client_id, tag")):
            h = hashlib.sha256()
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
                h.update(repr(row).encode())
            out[table] = h.hexdigest()[:16]
        fts = conn.execute("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH ?", (WORD,))
        out["fts"] = str(fts.fetchone()[0])
        return out
    finally:
        conn.close()


# --- on a PostgreSQL server (``--db postgresql://…``): COPY ------------------------------


def is_url(text: str) -> bool:
    return text.startswith(("postgresql://", "postgres://"))


def facts_path(db: str) -> Path:
    """Where the runner's facts go: next to a file; for a server's database, in the
    temporary directory under the database's name (``bench/run.py`` looks there)."""
    if is_url(db):
        from urllib.parse import urlsplit

        name = urlsplit(db).path.lstrip("/") or "postgres"
        return Path(tempfile.gettempdir()) / f"dossier-bench-{name}.bench.json"
    return Path(db + ".bench.json")


def other_database(url: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def database_name(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path.lstrip("/")


def pg_create(url: str, force: bool) -> str | None:
    """A new, empty database for ``url`` (an existing one replaced only with ``force``),
    through the server's ``postgres`` database; an error line, or None."""
    import psycopg

    name = database_name(url)
    if not name or not name.replace("_", "").isalnum():
        return f"generate: name the database in the URL (letters, digits, _): {url}"
    with psycopg.connect(other_database(url, "postgres"), autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if found and not force:
            return f"generate: the database {name} exists; pass --force to replace it"
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return None


def pg_drop(url: str) -> None:
    import psycopg

    with psycopg.connect(other_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def pg_time_baseline(url: str, data: Dataset) -> float:
    """A plain COPY of the finished rows (tuples: names normalised, contact days and
    versions computed beforehand) into a freshly migrated database, with the same SQL
    work around it as the bulk path: the per-row triggers off, the stats tallies in
    three statements, ANALYZE, one transaction."""
    from dossier.storage.paths import ServerUrl
    from dossier.storage.postgres import bulk as pgbulk
    from dossier.storage.postgres.db import open_database as open_server

    client_cols = bulk.columns("client")
    entry_cols = [c for c in bulk.columns("entry") if c != "id"]
    rows = pgbulk.finished_clients(data.clients, data.entries, data.tags, [], computed=True)
    client_rows = [tuple(row.get(c) for c in client_cols) for row in rows]
    ids = [row[0] for row in client_rows]
    db = open_server(ServerUrl(url))
    conn = db.conn
    try:
        gc.collect()
        gc.freeze()
        started = time.perf_counter()
        conn.execute("BEGIN")
        with pgbulk.per_row_triggers_off(conn, True):
            pgbulk.copy_rows(conn, "client", client_cols, client_rows)
            pgbulk.copy_rows(conn, "entry", entry_cols, data.entries)
            pgbulk.copy_rows(conn, "tag", ("client_id", "tag"), data.tags)
            pgbulk.fill_stats(conn, min(ids), max(ids))
        pgbulk.analyze(conn)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        gc.unfreeze()
    finally:
        db.close()
    return elapsed


def pg_time_bulk(url: str, data: Dataset) -> tuple[float, int, int]:
    """``dossier.storage.postgres.bulk.load`` inside one write transaction (the
    advisory lock, as an import runs it), from the generator's dicts and tuples."""
    from dossier.storage.paths import ServerUrl
    from dossier.storage.postgres import bulk as pgbulk
    from dossier.storage.postgres.db import open_database as open_server

    db = open_server(ServerUrl(url))
    try:
        gc.collect()
        gc.freeze()
        started = time.perf_counter()
        with db.transaction(write=True) as conn:
            n_clients, n_entries = pgbulk.load(conn, data.clients, data.entries, data.tags)
        elapsed = time.perf_counter() - started
        gc.unfreeze()
    finally:
        db.close()
    return elapsed, n_clients, n_entries


def pg_digest(url: str) -> dict[str, str]:
    """A fingerprint of each table's rows, computed by the server."""
    import psycopg

    out = {}
    with psycopg.connect(url) as conn:
        for table, order in (
            ("client", "id"),
            ("entry", "id"),
            ("tag", "client_id, tag"),
            ("stats_day", "owner, day, kind, outcome"),
            ("stats_gap", "owner, day"),
            ("stats_win", "entry_id"),
        ):
            found = conn.execute(
                f"SELECT md5(string_agg(md5(CAST(t AS text)), '' ORDER BY {order}))"
                f" FROM {table} AS t"
            ).fetchone()
            out[table] = str(found[0])[:16]
        hits = conn.execute(
            "SELECT count(*) FROM entry WHERE words @@ to_tsquery('simple', %s)", (WORD,)
        ).fetchone()
        out["fts"] = str(hits[0])
    return out


def pg_size(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0])


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".bench.json"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def file_size(path: Path) -> int:
    return sum(
        Path(str(path) + suffix).stat().st_size
        for suffix in ("", "-wal")
        if Path(str(path) + suffix).exists()
    )


def folder_facts(
    args: argparse.Namespace,
    today: date,
    data: Dataset,
    loaded: tuple[int, int],
    seconds: tuple[float, float, float | None],
    size: int,
) -> dict[str, Any]:
    """What both engines' folders record in ``<db>.bench.json`` for ``run.py`` and
    RESULTS.md: what was built (``loaded``: the clients and entries written), how long it
    took (generating, the bulk load, the baseline), and the machine it ran on."""
    (n_c, n_e), (gen_seconds, bulk_seconds, baseline_seconds) = loaded, seconds
    ratio = bulk_seconds / baseline_seconds if baseline_seconds else None
    return {
        "today": today.isoformat(),
        "seed": args.seed,
        "clients": n_c,
        "entries": n_e,
        "tags": len(data.tags),
        "show_client": data.show_client,
        "show_entries": min(SHOW_ENTRIES, n_e),
        "file_client": data.file_client,
        "log_client": data.log_client,
        "word": WORD,
        "word_notes": data.word_notes,
        "placements": data.counts,
        "owners": args.owners,
        "generate_seconds": round(gen_seconds, 2),
        "bulk_seconds": round(bulk_seconds, 3),
        "baseline_seconds": round(baseline_seconds, 3) if baseline_seconds else None,
        "ratio": round(ratio, 3) if ratio else None,
        "db_bytes": size,
        "generator_peak_rss_mb": round(peak_rss_mb(), 1),
        "python": platform.python_version(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def today_from_env() -> date:
    value = os.environ.get("DOSSIER_TODAY", "").strip()
    return date.fromisoformat(value) if value else date.today()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build a realistic dossier database through the bulk path, and time "
        "it against a plain executemany of the same rows."
    )
    parser.add_argument(
        "--db",
        required=True,
        help="database file to create, or a PostgreSQL URL (postgresql://…/NAME: the"
        " database NAME is created on that server, with COPY)",
    )
    parser.add_argument(
        "--owners",
        type=int,
        default=1,
        metavar="N",
        help="spread the clients over N owners, owner01… (default 1: no owner, the first"
        " command's user adopts the folder)",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--small", action="store_true", help="5,000 clients / 50,000 entries")
    parser.add_argument("--clients", type=int, help="number of clients (default 100,000)")
    parser.add_argument("--entries", type=int, help="history entries (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=20240705, help="random seed")
    parser.add_argument(
        "--overdue",
        type=float,
        default=2.0,
        metavar="PCT",
        help="share of dossiers overdue by 1-30 days, in percent (default 2)",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the executemany baseline")
    args = parser.parse_args(argv)

    n_clients = args.clients or (5_000 if args.small else 100_000)
    n_entries = args.entries if args.entries is not None else (50_000 if args.small else 1_000_000)
    if n_clients < 10:
        parser.error("--clients must be at least 10")
    if not 1 <= args.owners <= 99:
        parser.error("--owners must be between 1 and 99")
    if is_url(args.db):
        return main_server(args, n_clients, n_entries)
    path: Path = Path(args.db).expanduser().absolute()
    if path.exists() or Path(str(path) + "-wal").exists():
        if not args.force:
            print(f"generate: {path} exists; pass --force to replace it", file=sys.stderr)
            return 1
        remove_db(path)
    today = today_from_env()

    print(f"Generating {n_clients:,} clients and {n_entries:,} entries, today = {today}")
    gc.disable()  # millions of long-lived objects: cyclic GC passes would dominate
    t0 = time.perf_counter()
    data = build(n_clients, n_entries, today, args.seed, args.overdue / 100, owners=args.owners)
    gen_seconds = time.perf_counter() - t0
    gc.enable()

    started = time.perf_counter()
    bulk.columns("client")  # imports the SQLModel schema once, outside the timings
    import_seconds = time.perf_counter() - started

    baseline_seconds: float | None = None
    baseline_digest: dict[str, str] | None = None
    if not args.no_baseline:
        scratch = Path(tempfile.mkdtemp(prefix=".dossier-baseline-", dir=path.parent))
        try:
            scratch_db = scratch / "baseline.db"
            print("Timing the baseline (plain executemany)...")
            baseline_seconds = time_baseline(scratch_db, data)
            baseline_digest = digest(scratch_db)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    dict_seconds = time_dicts(data.entries)
    print("Timing dossier.storage.sqlite.bulk.load...")
    bulk_seconds, n_c, n_e = time_bulk(path, data)
    bulk_digest = digest(path)
    if baseline_digest is not None and baseline_digest != bulk_digest:
        print(
            f"generate: the two databases differ: {baseline_digest} vs {bulk_digest}",
            file=sys.stderr,
        )
        return 1

    size = file_size(path)
    loaded, timed = (n_c, n_e), (gen_seconds, bulk_seconds, baseline_seconds)
    ratio = bulk_seconds / baseline_seconds if baseline_seconds else None
    facts: dict[str, Any] = {
        "db": str(path),
        **folder_facts(args, today, data, loaded, timed, size),
        "sqlmodel_import_seconds": round(import_seconds, 3),
        "entry_dict_seconds": round(dict_seconds, 3),
        "sqlite": sqlite3.sqlite_version,
    }
    facts_path(str(path)).write_text(json.dumps(facts, indent=2) + "\n")

    print()
    print(f"Database:          {path} ({size / 1e6:,.1f} MB)")
    print(f"Rows:              {n_c:,} clients, {n_e:,} entries, {len(data.tags):,} tags")
    print(f"Placements:        {data.counts}")
    print(f"Show client:       #{data.show_client} ({facts['show_entries']} entries)")
    print(f"File / log client: #{data.file_client} / #{data.log_client}")
    print(f"Find word:         {WORD!r} in {data.word_notes} notes")
    print(f"Rows generated in: {gen_seconds:.1f} s (not timed below)")
    print(f"SQLModel import:   {import_seconds:.2f} s (once, not in the timings)")
    print(
        f"bulk.load:         {bulk_seconds:.2f} s (includes {dict_seconds:.2f} s of building "
        "the entry dicts it takes)"
    )
    if baseline_seconds is not None and ratio is not None:
        print(f"executemany:       {baseline_seconds:.2f} s")
        verdict = "met" if ratio <= 2.0 else "NOT met"
        print(f"Ratio:             {ratio:.2f}x (target <= 2x: {verdict}); same rows: yes")
    print(f"Generator peak RSS: {peak_rss_mb():,.0f} MB")
    print(f"Facts for bench/run.py: {path}.bench.json")
    return 0


def main_server(args: argparse.Namespace, n_clients: int, n_entries: int) -> int:
    """The same folder on a PostgreSQL server, loaded with COPY and timed against a
    plain COPY of the same finished rows into a scratch database."""
    from dossier.storage.paths import without_password

    url: str = args.db
    error = pg_create(url, args.force)
    if error:
        print(error, file=sys.stderr)
        return 1
    today = today_from_env()
    print(f"Generating {n_clients:,} clients and {n_entries:,} entries, today = {today}")
    gc.disable()
    t0 = time.perf_counter()
    data = build(n_clients, n_entries, today, args.seed, args.overdue / 100, owners=args.owners)
    gen_seconds = time.perf_counter() - t0
    gc.enable()
    started = time.perf_counter()
    bulk.columns("client")
    import dossier.storage.postgres.db  # noqa: F401  psycopg, once, outside the timings

    import_seconds = time.perf_counter() - started

    baseline_seconds: float | None = None
    baseline_digest: dict[str, str] | None = None
    if not args.no_baseline:
        scratch = other_database(url, f"{database_name(url)}_baseline_{os.getpid()}")
        try:
            pg_create(scratch, True)
            print("Timing the baseline (plain COPY of the finished rows)...")
            baseline_seconds = pg_time_baseline(scratch, data)
            baseline_digest = pg_digest(scratch)
        finally:
            pg_drop(scratch)

    print("Timing dossier.storage.postgres.bulk.load...")
    bulk_seconds, n_c, n_e = pg_time_bulk(url, data)
    bulk_digest = pg_digest(url)
    if baseline_digest is not None and baseline_digest != bulk_digest:
        print(
            f"generate: the two databases differ: {baseline_digest} vs {bulk_digest}",
            file=sys.stderr,
        )
        return 1
    import psycopg

    size = pg_size(url)
    with psycopg.connect(url) as conn:
        server = str(conn.execute("SHOW server_version").fetchone()[0])
    loaded, timed = (n_c, n_e), (gen_seconds, bulk_seconds, baseline_seconds)
    ratio = bulk_seconds / baseline_seconds if baseline_seconds else None
    facts: dict[str, Any] = {
        "db": without_password(url),
        **folder_facts(args, today, data, loaded, timed, size),
        "import_seconds": round(import_seconds, 3),
        "postgresql": server,
        "psycopg": psycopg.__version__,
    }
    side = facts_path(url)
    side.write_text(json.dumps(facts, indent=2) + "\n")

    print()
    print(f"Database:          {without_password(url)} ({size / 1e6:,.1f} MB, PostgreSQL {server})")
    print(f"Rows:              {n_c:,} clients, {n_e:,} entries, {len(data.tags):,} tags")
    print(f"Owners:            {args.owners}")
    print(f"Placements:        {data.counts}")
    print(f"Show client:       #{data.show_client} ({facts['show_entries']} entries)")
    print(f"File / log client: #{data.file_client} / #{data.log_client}")
    print(f"Find word:         {WORD!r} in {data.word_notes} notes")
    print(f"Rows generated in: {gen_seconds:.1f} s (not timed below)")
    print(f"SQLModel, psycopg: {import_seconds:.2f} s (once, not in the timings)")
    print(f"bulk.load (COPY):  {bulk_seconds:.2f} s")
    if baseline_seconds is not None and ratio is not None:
        print(f"plain COPY:        {baseline_seconds:.2f} s")
        verdict = "met" if ratio <= 2.0 else "NOT met"
        print(f"Ratio:             {ratio:.2f}x (target <= 2x: {verdict}); same rows: yes")
    print(f"Generator peak RSS: {peak_rss_mb():,.0f} MB")
    print(f"Facts for bench/run.py: {side}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
