"""A realistic sample folder, so a new user sees a working morning at once.

About forty clients with a few months of history (busier in the last eight weeks, for
'review' and 'stats'), dossiers filed over the coming weeks (some overdue, some at a fixed
time, some behind a month tab with no day yet), two with no next step and two already
done. The random generator is seeded: the same "today" always gives the same folder,
which keeps the README and the tests reproducible.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from ..domain.dates import ENGLISH, lexicon
from ..domain.errors import DossierError
from ..domain.records import Placement

if TYPE_CHECKING:
    from ..storage.base import Store

PEOPLE = [
    ("Anna Kowalski", "Nordlicht Logistics", "Head of Procurement"),
    ("Ben Okafor", "Okafor & Sons Building", "Owner"),
    ("Carla Mendes", "Vinhos do Sul", "Export Manager"),
    ("David Chen", "Bright Harbor Dental", "Practice Manager"),
    ("Elena Petrova", "Petrova Design Studio", "Creative Director"),
    ("Farid Haddad", "Cedar Foods", "Purchasing Lead"),
    ("Grace O'Neill", "Harbourview Hotels", "Operations Director"),
    ("Hiro Tanaka", "Tanaka Precision", "Plant Manager"),
    ("Ingrid Larsen", "Fjord Outdoor", "Category Buyer"),
    ("Jamal Wright", "Wright Fitness Clubs", "Founder"),
    ("Katarzyna Nowak", "Baltic Print House", "Office Manager"),
    ("Luis Fernández", "Ferretería Central", "Store Manager"),
    ("Maya Goldberg", "Goldberg Legal", "Managing Partner"),
    ("Noah Fischer", "Alpen Cargo", "Fleet Manager"),
    ("Olivia Brown", "Brown's Bakery Group", "Finance Director"),
    ("Pavel Novak", "Novak Machinery", "Technical Buyer"),
    ("Quinn Murphy", "Murphy Veterinary", "Clinic Owner"),
    ("Rosa Bianchi", "Trattoria Bianchi", "Owner"),
    ("Samir Patel", "Patel Pharmacies", "Regional Manager"),
    ("Tess Van Dijk", "Tulip Florists", "Co-owner"),
    ("Umar Siddiqui", "Crescent IT Services", "CTO"),
    ("Vera Müller", "Müller Maschinenbau", "Einkaufsleiterin"),
    ("William Scott", "Scott Estates", "Director"),
    ("Xenia Ivanova", "Aurora Language School", "Principal"),
    ("Yusuf Demir", "Demir Textiles", "Sales Director"),
    ("Zoe Martin", "Martin & Co Accountants", "Partner"),
    ("Aiko Sato", "Sakura Tea Rooms", "Owner"),
    ("Bruno Costa", "Costa Construction", "Project Manager"),
    ("Chloé Dubois", "Atelier Dubois", "Founder"),
    ("Dmitri Volkov", "Volkov Auto Parts", "Purchasing Manager"),
    ("Emma Johansson", "Nordic Wellness Spa", "General Manager"),
    ("Felix Wagner", "Wagner Solar", "Head of Sales"),
    ("Gabriela Ruiz", "Ruiz Travel", "Agency Owner"),
    ("Henrik Berg", "Berg Marine Supplies", "Buyer"),
    ("Isabel Santos", "Santos Clinic", "Administrator"),
    ("Jonas Keller", "Keller Brewing", "Brewmaster"),
    ("Karin Lindqvist", "Lindqvist Architects", "Office Lead"),
    ("Leo Rossi", "Rossi Coffee Roasters", "Owner"),
    ("Mira Shah", "Shah Logistics", "COO"),
    ("Nils Andersen", "Andersen Electrical", "Contracts Manager"),
]

NOTES = [
    (
        "call",
        "reached",
        "Discussed the renewal. Happy with the service, wants a price for {n} more seats.",
    ),
    ("call", "no-answer", "No answer on the mobile; try the office line next time."),
    ("call", "left-message", "Left a message with the assistant about the {m} proposal."),
    (
        "call",
        "reached",
        "Budget is approved for {m}. Asked for a revised quote with delivery dates.",
    ),
    (
        "email",
        "proposal-sent",
        "Sent proposal v{v}: {n} units, 12-month contract, {d}% volume discount.",
    ),
    (
        "meeting",
        "reached",
        "Site visit went well. Met the team; they compare us with two other vendors.",
    ),
    ("call", "meeting-set", "Agreed to meet next week to go through the numbers with finance."),
    (
        "call",
        "reached",
        "Complaint about the last delivery (two boxes damaged). Promised a credit note.",
    ),
    ("email", None, "Forwarded the case study and the reference list they asked for."),
    ("call", "reached", "Decision moved to the board meeting in {m}; call back after it."),
    ("visit", "reached", "Dropped by with samples. The owner liked the new range."),
    ("note", None, "Prefers calls before 10:00. Assistant: {a}."),
    ("call", "reached", "Negotiating payment terms: they want 60 days, we offer 45 with {d}% off."),
    ("call", "won", "Signed! Order for {n} units, first delivery in {m}."),
    ("call", "lost", "Went with a cheaper supplier. Keep in touch for next year's tender."),
]

PURPOSES = [
    "send the revised quote",
    "follow up on the proposal",
    "confirm the delivery date",
    "check the board's decision",
    "present the new price list",
    "ask for a referral",
    "renewal talk",
    "sort out the credit note",
    "book a site visit",
    "first call: introduce our service",
]

SLOTS = ["10:00", "11:30", "15:30", "16:45", "09:15"]  # meeting times, spread over a day
ASSISTANTS = ["Maria", "Tom", "Sven", "Julia", "Ahmed", "Lena"]
TAGS = ["key-account", "referral", "trade-fair", "tender", "upsell", "local"]
MONTHS = ENGLISH.months

# The same sample in Spanish, for a Spanish run (``dossier --lang es demo``): the notes
# and purposes in the same order, with the same fields, so the folder is the same one.
NOTES_ES = [
    (
        "call",
        "reached",
        "Hablamos de la renovación. Contentos con el servicio;"
        " quieren precio para {n} puestos más.",
    ),
    ("call", "no-answer", "No contesta al móvil; la próxima vez, probar en la oficina."),
    ("call", "left-message", "Dejé recado a la asistente sobre la propuesta de {m}."),
    (
        "call",
        "reached",
        "Presupuesto aprobado para {m}. Piden una oferta revisada con fechas de entrega.",
    ),
    (
        "email",
        "proposal-sent",
        "Enviada la propuesta v{v}: {n} unidades, contrato de 12"
        " meses, {d}% de descuento por volumen.",
    ),
    (
        "meeting",
        "reached",
        "Buena visita. Conocí al equipo; nos comparan con otros dos proveedores.",
    ),
    ("call", "meeting-set", "Quedamos la semana que viene para repasar los números con finanzas."),
    ("call", "reached", "Queja por la última entrega (dos cajas dañadas). Prometí un abono."),
    ("email", None, "Reenviado el caso de éxito y la lista de referencias que pidieron."),
    ("call", "reached", "La decisión pasa al consejo de {m}; llamar después."),
    ("visit", "reached", "Pasé con muestras. Al dueño le gustó la nueva gama."),
    ("note", None, "Prefiere llamadas antes de las 10:00. Asistente: {a}."),
    (
        "call",
        "reached",
        "Negociando plazos de pago: piden 60 días, ofrecemos 45 con un {d}% de descuento.",
    ),
    ("call", "won", "¡Firmado! Pedido de {n} unidades, primera entrega en {m}."),
    (
        "call",
        "lost",
        "Se fueron con un proveedor más barato. Seguir en contacto"
        " para el concurso del año que viene.",
    ),
]
PURPOSES_ES = [
    "enviar la oferta revisada",
    "seguimiento de la propuesta",
    "confirmar la fecha de entrega",
    "saber qué decidió el consejo",
    "presentar la nueva tarifa",
    "pedir una recomendación",
    "hablar de la renovación",
    "resolver el abono",
    "concertar una visita",
    "primera llamada: presentar el servicio",
]


class Samples(NamedTuple):
    """The words of the sample folder in one language."""

    notes: list[tuple[str, str | None, str]]
    purposes: list[str]
    months: tuple[str, ...]
    closed: str  # why the sample's closed dossiers were closed


def samples(lang: str) -> Samples:
    if lang == "es":
        return Samples(NOTES_ES, PURPOSES_ES, lexicon("es").months, "trato cerrado")
    return Samples(NOTES, PURPOSES, MONTHS, "deal closed")


def fill(store: Store, today: date, lang: str = "en", owner: str | None = None) -> int:
    """Add the sample clients, their notes written in ``lang``, owned by ``owner`` (the
    current user); refuse a database that already holds any."""
    if store.count_clients():
        raise DossierError(
            "this database already holds clients; the demo only fills an empty one "
            "(use --db or DOSSIER_DB to try it on a new file)"
        )
    rng = random.Random(20240705)
    plan = _placements(today, rng)
    words = samples(lang)
    spans = [
        _add_one(store, today, rng, index, (name, company, position), plan[index], words)
        for index, (name, company, position) in enumerate(PEOPLE)
    ]
    # A second generator for the busier recent weeks, so that the folder above (places,
    # stages, each client's first and latest contact) stays what it was.
    busy = random.Random(20241105)
    moves = random.Random(20241206)
    for span in spans:
        if span is not None:
            more = _recent_weeks(store, today, busy, span, words)
            _stage_moves(store, moves, span, sorted({*span.days, *more}), words)
    # On a new file the day's opening count is taken before the demo runs (0) and kept
    # after it, unless the day has one: the sample's own count goes in first. A file a
    # command already opened today keeps the count it took (and undo leaves it alone).
    # Earlier days have none: the sample has no mornings before this one.
    month = f"{today:%Y-%m}"
    overdue = sum(
        1
        for place in plan
        if isinstance(place, Placement)
        and ((place.due is not None and place.due < today) or (place.month or month) < month)
    )
    store.record_day_open(today, overdue)
    if owner is not None:
        store.adopt_unowned(owner)
    return len(PEOPLE)


FUNNEL = ("lead", "prospect", "negotiation", "client")


def _stage_moves(
    store: Store, rng: random.Random, span: Span, days: list[date], words: Samples
) -> None:
    """The moves between stages that brought a sample client where it is, on days of its
    history before the latest (the funnel in 'stats'); the move to client is a won call."""
    path = FUNNEL[: FUNNEL.index(span.stage) + 1] if span.stage in FUNNEL else ()
    steps = list(pairwise(path))
    candidates = [day for day in days if day < span.last]
    steps = steps[len(steps) - min(len(steps), len(candidates)) :]  # the latest ones
    chosen = sorted(rng.sample(candidates, k=len(steps)))
    for (before, after), day in zip(steps, chosen, strict=True):
        store.record_stage_change(span.client_id, day, before, after)
        if after == "client":
            text = words.notes[-2][2].format(n=rng.randint(5, 200), m=rng.choice(words.months))
            store.insert_entry(span.client_id, f"{day}T17:50:00", "call", "won", text)


class Span(NamedTuple):
    """A sample client's history so far: its id, its first and latest contact days, its
    stage, and the days of its entries."""

    client_id: int
    first: date
    last: date
    stage: str
    days: list[date]


def _recent_weeks(
    store: Store, today: date, rng: random.Random, span: Span, words: Samples
) -> list[date]:
    """More calls, e-mails and meetings between a client's first and latest contact,
    mostly in the last eight weeks (what 'review' and 'stats' look at), on working days:
    a day's calls and a week's numbers are then worth reading. The latest contact, which
    the morning's views show, is left the latest."""
    start = max(span.first + timedelta(days=1), today - timedelta(days=56))
    if start >= span.last:
        start = span.first + timedelta(days=1)
    days = [
        start + timedelta(days=n)
        for n in range((span.last - start).days)
        if (start + timedelta(days=n)).weekday() < 5
    ]
    if not days:
        return []
    chosen = sorted(rng.sample(days, k=min(len(days), rng.randint(3, 9))))
    for day in chosen:
        _note(store, rng, span.client_id, day, rng.choice(words.notes[:-2]), words)
    return chosen


def _placements(today: date, rng: random.Random) -> list[Placement | str | None]:
    """Forty places: overdue, today (some timed), coming weeks, month tabs, none, done."""
    first_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    after_next = (first_next + timedelta(days=32)).replace(day=1)
    places: list[Placement | str | None] = []
    places += [Placement(today - timedelta(days=d), None, None, None) for d in (1, 2, 3, 5, 8)]
    places += [Placement(today, None, t, None) for t in ("09:30", "14:00")]
    places += [Placement(today, None, None, None) for _ in range(8)]
    places += [
        Placement(
            _weekday(today + timedelta(days=d)),
            None,
            None if rng.randrange(4) < 2 else SLOTS[i % len(SLOTS)],
            None,
        )
        for i, d in enumerate((1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 16, 20))
    ]
    places += [Placement(None, f"{m:%Y-%m}", None, None) for m in (today, first_next, first_next)]
    places += [
        Placement(after_next + timedelta(days=4), None, None, None),
        Placement(None, f"{after_next:%Y-%m}", None, None),
    ]
    places += [None, None, "done", "done"]
    rng.shuffle(places)
    return places


def _weekday(day: date) -> date:
    """Sample calls are planned on working days: a Saturday or Sunday moves to Monday."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _add_one(
    store: Store,
    today: date,
    rng: random.Random,
    index: int,
    person: tuple[str, str, str],
    place: Placement | str | None,
    words: Samples,
) -> Span | None:
    """Add one sample client; its history's span when it has one."""
    name, company, position = person
    created = today - timedelta(days=rng.randint(20, 150))
    new_client = isinstance(place, Placement) and place.due == today and index % 3 == 0
    stage = "lead" if new_client else rng.choice(["prospect", "negotiation", "client", "client"])
    phone = f"+44 20 7{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    email = name.split()[0].lower() + "@" + company.split()[0].lower().strip("'&") + ".example"
    client_id = store.insert_client(
        {
            "name": name,
            "company": company,
            "position": position,
            "phones": [phone],
            "email": email,
            "stage": stage,
        },
        f"{created.isoformat()}T09:00:00",
    )
    if index % 4 == 0:
        store.add_tags(client_id, rng.sample(TAGS, 2))
    if index % 5 == 0:
        store.set_fields(client_id, {"budget": f"{rng.randint(5, 90)}k", "region": "North"})
    span = None
    if not new_client:
        days = _history(store, client_id, created, today, rng, place == "done", words)
        span = Span(client_id, days[0], days[-1], stage, days)
    stamp = f"{today.isoformat()}T08:00:00"
    if place == "done":
        store.archive(client_id, words.closed, stamp)
    elif isinstance(place, Placement):
        purpose = words.purposes[-1] if new_client else rng.choice(words.purposes[:-1])
        filed = Placement(place.due, place.month, place.at, purpose)
        store.place(client_id, filed, stamp)
    return span


def _history(
    store: Store,
    client_id: int,
    created: date,
    today: date,
    rng: random.Random,
    closing: bool,
    words: Samples,
) -> list[date]:
    """A few entries between the card's creation and today; their days, in order."""
    span = max(1, (today - created).days - 1)
    days = sorted(rng.sample(range(span), k=min(span, rng.randint(1, 7))))
    for day in days:
        last = day == days[-1]
        notes = words.notes
        sample = rng.choice(notes[-2:]) if closing and last else rng.choice(notes[:-2])
        _note(store, rng, client_id, created + timedelta(days=day), sample, words)
    return [created + timedelta(days=day) for day in days]


def _note(
    store: Store,
    rng: random.Random,
    client_id: int,
    day: date,
    sample: tuple[str, str | None, str],
    words: Samples,
) -> None:
    """One sample entry on ``day``: its words filled in, at a working hour."""
    kind, outcome, text = sample
    text = text.format(
        n=rng.randint(5, 200),
        m=rng.choice(words.months),
        v=rng.randint(2, 4),
        d=rng.choice([3, 5, 7, 10]),
        a=rng.choice(ASSISTANTS),
    )
    at = f"{day}T{rng.randint(8, 17):02d}:{rng.choice('024')}5:00"
    store.insert_entry(client_id, at, kind, outcome, text)
