"""vCard in and out: the fixtures as Android, iOS, Google and a 4.0 writer export them, read
value by value; malformed files refused by line; the 3.0 writer's bytes, folding and
escaping; and writer -> reader reproducing arbitrary text."""

from __future__ import annotations

import contextlib
import re
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier import i18n
from dossier.domain.errors import UsageError
from dossier.domain.incoming import KEYS, Incoming
from dossier.domain.vcard import VCardOut, read_vcards, stable_uid, write_vcards
from dossier.ui.words import words

FIXTURES = Path(__file__).parent / "fixtures" / "vcard"

# Every value of every card of every fixture, with the line of its BEGIN:VCARD.
EXPECTED: dict[str, list[tuple[int, dict[str, list[str]]]]] = {
    "android-2.1.vcf": [
        (
            1,
            {
                "name": ["José Núñez"],
                "last": ["Núñez"],
                "first": ["José"],
                "company": ["Construcciones Ibéricas S.L."],
                "position": ["Jefe de compras"],
                "phone": ["+34 600 12 34 56", "+34 915 55 12 34"],
                "email": ["jose.nunez@iberica.example"],
                "note": [
                    "Llamar después de las 10. Pidió presupuesto de la obra de Leganés, "
                    "plazo 30 días.\nSegunda línea: revisar=precio"
                ],
            },
        ),
        (
            18,
            {
                "name": ["Sarah O'Connor"],
                "last": ["O'Connor"],
                "first": ["Sarah"],
                "company": ["Brightline Ltd"],
                "phone": ["07700 900461", "0161 496 0732", "+44 161 496 0999"],
                "email": ["sarah.oconnor@mail.example", "s.oconnor@brightline.example"],
            },
        ),
        (
            30,
            {
                "name": ["Núria Puig i Ferré"],
                "last": ["Puig i Ferré"],
                "first": ["Núria"],
                "position": ["Directora técnica"],
                "phone": ["00376 612 345"],
                "email": ["nuria@andorra-logistica.example"],
            },
        ),
    ],
    "ios-3.0.vcf": [
        (
            1,
            {
                "name": ["María García López"],
                "last": ["García López"],
                "first": ["María"],
                "company": ["Distribuciones Levante S.A."],
                "position": ["Directora comercial"],
                "email": ["maria.garcia@levante.example", "mgarcia@levante.example"],
                "phone": ["+34 612 34 56 78", "963 00 11 22"],
                "note": [
                    "Prefiere llamadas después de las 10, nunca los lunes. Presupuesto "
                    "aprobado para el T3; pendiente de jurídico.\n"
                    "Segunda línea con acentos: cañón, ñandú."
                ],
                "tags": ["Clientes", "VIP", "Valencia, zona centro"],
                "uid": ["0C3D2B9E-6F1A-4C1E-9A55-2D1B7E4F9A10"],
            },
        ),
        (
            32,
            {
                "name": ["Dr. James Edward Whitfield"],
                "last": ["Whitfield"],
                "first": ["James"],
                "company": ["Whitfield & Sons, Ltd."],
                "position": ["Managing Director"],
                "phone": ["+1 (415) 555-0134", "+1 415 555 0199"],
                "email": ["james@whitfield-sons.example"],
                "note": ["Backslash kept: C:\\Quotes\\2024; semicolon; comma, colon: ok"],
            },
        ),
        (
            49,
            {
                "name": ["Ferretería El Clavo"],
                "company": ["Ferretería El Clavo"],
                "phone": ["+34 954 22 33 44"],
                "tags": ["Proveedores"],
            },
        ),
    ],
    "google-3.0.vcf": [
        (
            1,
            {
                "name": ["Tom Baker"],
                "last": ["Baker"],
                "first": ["Tom"],
                "email": ["tom.baker@northwind.example", "tom@baker.example"],
                "phone": ["+44 7700 900123", "+44 20 7946 0018"],
                "company": ["Northwind Traders"],
                "position": ["Head of Procurement"],
                "note": [
                    "Met at the Leeds trade fair. Wants a quote for 200 units, delivery in March."
                ],
                "tags": ["Customers"],  # Google's own "myContacts" left out
            },
        ),
        (
            19,
            {
                "name": ["Carmen Ruiz de Alarcón"],
                "last": ["Ruiz de Alarcón"],
                "first": ["Carmen"],
                "email": ["carmen.ruiz@gmail.example"],
                "phone": ["600 98 76 54", "0034 91 123 45 67"],
                "company": ["Bodegas Alarcón"],
                "position": ["Responsable de exportación"],
                "tags": ["Vino", "Madrid"],
            },
        ),
    ],
    "v4.0.vcf": [
        (
            1,
            {
                "uid": ["urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"],
                "name": ["Lucía Fernández"],
                "last": ["Fernández"],
                "first": ["Lucía"],
                "company": ["Tecnologías del Sur"],
                "position": ["CTO"],
                "phone": ["+34-600-987-654", "+34-955-12-34-56 ext. 102"],
                "email": ["lucia@tecsur.example", "lucia.fernandez@correo.example"],
                "tags": ["Andalucía", "Prospects"],
                "note": ["Demo el martes\nTraer la propuesta impresa"],
            },
        ),
        (
            17,
            {
                "uid": ["urn:uuid:0a7e3c52-9d4b-4f0e-8d2f-5b1e6c7a8d90"],
                "name": ["Priya Shah"],
                "last": ["Shah"],
                "first": ["Priya"],
                "company": ["Helios Analytics"],
                "position": ["Data Lead"],
                "phone": ["+44 7700 900777"],
                "email": [
                    "priya@helios.example",
                    "priya.shah@personal.example",
                    "p.shah@helios-labs.example",
                ],
            },
        ),
    ],
}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def shape(cards: list[Incoming]) -> list[tuple[int, dict[str, list[str]]]]:
    return [(card.line, card.values) for card in cards]


def refusal(data: bytes) -> UsageError:
    with pytest.raises(UsageError) as caught:
        read_vcards(data)
    return caught.value


# --- reading the fixtures ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_value_of_every_card(name: str) -> None:
    cards = read_vcards(fixture(name))
    assert shape(cards) == EXPECTED[name]
    assert all(card.fields == {} for card in cards)  # other properties are left out
    assert all(set(card.values) <= set(KEYS) for card in cards)


def test_the_fixtures_are_written_as_their_programs_write_them() -> None:
    """What the reader is tested against is really in the files: CRLF, a soft line break
    inside a quoted-printable value, folded lines, grouped properties, tel: URIs."""
    android = fixture("android-2.1.vcf")
    assert android.count(b"\r\n") == android.count(b"\n")
    assert b"Legan=\r\n=C3=A9s" in android  # the soft break cuts an accented letter
    assert b"ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8" in android
    assert b"CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE" in android
    ios = fixture("ios-3.0.vcf")
    assert b"item1.EMAIL" in ios and b"\r\n ado para" in ios
    assert len(re.findall(rb"\r\n [A-Za-z0-9+/]{20}", ios)) >= 10  # the folded PHOTO
    assert b"tel:+34-955-12-34-56;ext=102" in fixture("v4.0.vcf")


def test_the_columns_name_the_property_each_value_came_from() -> None:
    card = read_vcards(fixture("ios-3.0.vcf"))[0]
    assert card.columns == {
        "last": "N",
        "first": "N",
        "name": "FN",
        "company": "ORG",
        "position": "TITLE",
        "email": "EMAIL",
        "phone": "TEL",
        "note": "NOTE",
        "tags": "CATEGORIES",
        "uid": "UID",
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),  # with its BOM, in this machine's order
        lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
        lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
        lambda text: text.encode("utf-8").replace(b"\r\n", b"\n"),
        lambda text: text.encode("utf-8").replace(b"\r\n", b"\r"),
    ],
    ids=["utf8-bom", "utf16", "utf16-be", "utf16-le", "lf", "cr"],
)
def test_the_same_cards_saved_each_way(name: str, encode: object) -> None:
    assert callable(encode)
    text = fixture(name).decode("utf-8")
    assert shape(read_vcards(encode(text))) == EXPECTED[name]


@pytest.mark.parametrize("name", ["ios-3.0.vcf", "google-3.0.vcf", "v4.0.vcf"])
def test_windows_1252_when_the_bytes_are_not_utf8(name: str) -> None:
    data = fixture(name).decode("utf-8").encode("cp1252")
    assert data != fixture(name)  # there are accents to get right
    assert shape(read_vcards(data)) == EXPECTED[name]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Espa=F1a", "España"),
        ("NOTE;QUOTED-PRINTABLE;CHARSET=UTF-8:Espa=c3=b1a", "España"),  # lower-case hex
        ("NOTE;ENCODING=QUOTED-PRINTABLE:Espa=C3=B1a", "España"),  # no CHARSET: UTF-8
        ("NOTE;ENCODING=QUOTED-PRINTABLE:Espa=F1a", "España"),  # not UTF-8: Windows-1252
        ("NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=X-NONE:a=3Db", "a=b"),  # unknown charset
        ("NOTE;ENCODING=QUOTED-PRINTABLE:a=\r\n=\r\nb", "ab"),  # two soft breaks in a row
        ("NOTE;ENCODING=b;CHARSET=UTF-8:RXNwYcOxYQ==", "España"),  # base64 text
        ("NOTE:one\\nline\\Ntwo", "one\nline\ntwo"),
        ("NOTE:C:\\temp\\x \\\\ end\\", "C:\\temp\\x \\ end\\"),  # unknown escapes kept
        ("NOTE:folded \r\n  across\r\n\tlines", "folded  acrosslines"),
        ('NOTE;X-Q="a:b;c,d";LANGUAGE=es:quoted params', "quoted params"),
        ("note:lower-case names", "lower-case names"),
    ],
)
def test_one_value_decoded(line: str, expected: str) -> None:
    data = f"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ana\r\n{line}\r\nEND:VCARD\r\n"
    assert read_vcards(data.encode("utf-8"))[0].values["note"] == [expected]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("TEL;VALUE=uri:tel:+34-600-000-001", "+34-600-000-001"),
        ("TEL;VALUE=URI;TYPE=work:TEL:+34 600;ext=9;phone-context=x", "+34 600 ext. 9"),
        ("TEL:tel:+34600", "+34600"),  # in 4.0 a tel: URI even without VALUE=uri
        ("TEL;TYPE=cell:+34 600 12 34 56", "+34 600 12 34 56"),
    ],
)
def test_a_4_0_phone(line: str, expected: str) -> None:
    data = f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\n{line}\r\nEND:VCARD\r\n"
    assert read_vcards(data.encode("utf-8"))[0].values["phone"] == [expected]


def test_a_tel_text_in_3_0_is_kept_as_written() -> None:
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nTEL:tel:600\r\nEND:VCARD\r\n"
    assert read_vcards(data)[0].values["phone"] == ["tel:600"]


def test_a_card_named_only_by_n_or_by_org_is_read() -> None:
    data = (
        b"BEGIN:VCARD\nVERSION:3.0\nN:Ruiz;Ana;;;\nEND:VCARD\n"
        b"junk between cards is not a card\n\n"
        b"BEGIN:VCARD\nVERSION:3.0\nORG:Acme\\; Co;Sales\nEND:VCARD\n"
    )
    assert shape(read_vcards(data)) == [
        (1, {"last": ["Ruiz"], "first": ["Ana"]}),
        (7, {"company": ["Acme; Co"]}),
    ]


# --- refusing a malformed file -----------------------------------------------------------

NOT_A_VCARD = "not a vCard file: no line reads BEGIN:VCARD"


@pytest.mark.parametrize(
    ("data", "id", "line"),
    [
        (b"", NOT_A_VCARD, None),
        (b"Name,Phone\r\nAna,600\r\n", NOT_A_VCARD, None),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", NOT_A_VCARD, None),
        (
            b"BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nEND:VCARD\r\n",
            "vCard line {line}: END:VCARD with no card begun",
            4,
        ),
        (
            b"BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n\r\nBEGIN:VCARD\r\nFN:B\r\n",
            "vCard line {line}: the card has no END:VCARD",
            5,
        ),
        (
            b"BEGIN:VCARD\r\nFN:A\r\nBEGIN:VCARD\r\nFN:B\r\nEND:VCARD\r\n",
            "vCard line {line}: BEGIN:VCARD inside the card begun on line {start}",
            3,
        ),
        (
            b"BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\n"
            b"N:;;;;\nFN: \nTEL:600\nEND:VCARD\n",
            "vCard line {line}: the card has no name (FN or N) and no company (ORG)",
            4,
        ),
        (
            # a quoted-printable line ending in '=' does not swallow the END after it
            b"BEGIN:VCARD\r\nN;ENCODING=QUOTED-PRINTABLE:;;;=\r\nEND:VCARD\r\n",
            "vCard line {line}: the card has no name (FN or N) and no company (ORG)",
            1,
        ),
    ],
)
def test_a_malformed_file_is_refused_by_line(data: bytes, id: str, line: int | None) -> None:
    error = refusal(data)
    assert error.message.id == id
    assert error.message.params.get("line") == line
    assert error.exit_code == 2


def test_the_refusal_in_both_languages() -> None:
    error = refusal(b"BEGIN:VCARD\r\nTEL:600\r\nEND:VCARD\r\n")
    assert str(error) == "vCard line 1: the card has no name (FN or N) and no company (ORG)"
    i18n.use("es")
    try:
        assert (
            words(error)
            == "línea 1 del vCard: la tarjeta no tiene nombre (FN o N) ni empresa (ORG)"
        )
    finally:
        i18n.use("en")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_read_or_refused_never_a_traceback(data: bytes) -> None:
    with contextlib.suppress(UsageError):
        read_vcards(data)


PIECES = st.sampled_from(
    [
        "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "FN:", "N:", "ORG:", "TEL", "EMAIL",
        "NOTE", "CATEGORIES:", "UID:", "item1.", ";", ":", ",", "=", "\\", "\r\n", "\n",
        " ", "\t", '"', "ENCODING=QUOTED-PRINTABLE", "CHARSET=", "=C3=A9", "=\r\n", "b",
        "VALUE=uri", "tel:", "é",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=40))
def test_vcard_like_garbage_read_or_refused(pieces: list[str]) -> None:
    try:
        cards = read_vcards("".join(pieces).encode("utf-8"))
    except UsageError:
        return
    for card in cards:
        assert any(card.first(key) for key in ("name", "first", "last", "company"))


# --- writing -----------------------------------------------------------------------------

JOSE = VCardOut(
    uid="0c3d2b9e-6f1a-4c1e-9a55-2d1b7e4f9a10",
    name="José Núñez",
    company="Construcciones Ibéricas, S.L.",
    position="Jefe de compras",
    phones=["+34 600 12 34 56", "91 555 12 34"],
    emails=["jose@iberica.example", "pepe@correo.example"],
    tags=["obra nueva", "Madrid; sur"],
    note="Presupuesto: 12.000 €\nLlamar a las 10",
)


def test_one_card_written_byte_for_byte() -> None:
    assert write_vcards([JOSE]) == (
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "PRODID:-//dossier//vCard export//EN\r\n"
        "N:Núñez;José;;;\r\n"
        "FN:José Núñez\r\n"
        "ORG:Construcciones Ibéricas\\, S.L.\r\n"
        "TITLE:Jefe de compras\r\n"
        "TEL;TYPE=CELL:+34 600 12 34 56\r\n"
        "TEL;TYPE=VOICE:91 555 12 34\r\n"
        "EMAIL;TYPE=INTERNET:jose@iberica.example\r\n"
        "EMAIL;TYPE=INTERNET:pepe@correo.example\r\n"
        "CATEGORIES:obra nueva,Madrid\\; sur\r\n"
        "NOTE:Presupuesto: 12.000 €\\nLlamar a las 10\r\n"
        "UID:0c3d2b9e-6f1a-4c1e-9a55-2d1b7e4f9a10\r\n"
        "END:VCARD\r\n"
    )


def test_what_is_not_given_is_not_written() -> None:
    text = write_vcards([VCardOut(uid="u1", name="Acme", note="  ", company="")])
    assert text == (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//dossier//vCard export//EN\r\n"
        "N:Acme;;;;\r\nFN:Acme\r\nUID:u1\r\nEND:VCARD\r\n"
    )
    assert write_vcards([]) == ""


def test_n_takes_the_last_word_as_the_family_name() -> None:
    text = write_vcards([VCardOut(uid="u", name="  Ana  María de la Fuente ")])
    assert "\r\nN:Fuente;Ana María de la;;;\r\n" in text


@pytest.mark.parametrize(
    "note",
    [
        "ñ" * 200,  # two octets each
        "€" * 100,  # three octets each
        "😀" * 80,  # four octets each
        "a" * 69 + "\\" * 30 + ",;" * 20,  # escapes, two characters each
        "x" * 73 + "é" * 3 + "\n" * 5,
    ],
)
def test_lines_folded_at_75_octets_never_inside_a_character(note: str) -> None:
    card = VCardOut(uid="u", name="Ana", note=note)
    data = write_vcards([card]).encode("utf-8")
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(len(line) >= 70 for line in lines)  # folding happened, close to the limit
    for line in lines:
        line.decode("utf-8")  # each line is whole UTF-8 on its own
        assert not re.search(rb"(?<!\\)(\\\\)*\\$", line)  # no escape cut in two
    assert read_vcards(data)[0].values["note"] == [note.strip()]


def test_the_same_cards_give_the_same_bytes() -> None:
    cards = [JOSE, VCardOut(uid=stable_uid(7, "2024-07-01T09:30:00"), name="Tom Baker")]
    assert write_vcards(cards) == write_vcards(list(cards))
    assert write_vcards(cards).count("BEGIN:VCARD") == 2


def test_control_characters_are_left_out_and_line_ends_kept() -> None:
    card = VCardOut(uid="u", name="Ana\x00 \x1bRuiz", note="a\r\nb\rc\x07d\te")
    text = write_vcards([card])
    assert "\x00" not in text and "\x1b" not in text and "\x07" not in text
    assert read_vcards(text.encode("utf-8"))[0].values["note"] == ["a\nb\ncd\te"]


def test_a_stable_uid() -> None:
    uid = stable_uid(42, "2024-07-01T09:30:00")
    assert uid == stable_uid(42, "2024-07-01T09:30:00")
    assert uuid.UUID(uid).version == 5
    others = {stable_uid(43, "2024-07-01T09:30:00"), stable_uid(42, "2024-07-01T09:30:01")}
    assert uid not in others and len(others) == 2


def test_the_stable_uid_never_changes_between_versions() -> None:
    """A changed namespace would give every client a new UID: a phone importing the next
    export would then hold every contact twice."""
    assert stable_uid(1, "2024-01-01T00:00:00") == str(
        uuid.uuid5(uuid.UUID("c30c6d14-daea-587b-89b9-300bf18c29bb"), "1/2024-01-01T00:00:00")
    )
    assert stable_uid(1, "2024-01-01T00:00:00") == "ea11d029-1b07-5df1-803e-8a74fed706b5"


# --- round trips -------------------------------------------------------------------------


def as_out(card: Incoming) -> VCardOut:
    return VCardOut(
        uid=card.first("uid") or "u",
        name=card.first("name"),
        company=card.first("company") or None,
        position=card.first("position") or None,
        phones=card.values.get("phone", []),
        emails=card.values.get("email", []),
        tags=card.values.get("tags", []),
        note=card.first("note") or None,
    )


ROUND_TRIP = ("name", "company", "position", "phone", "email", "tags", "note", "uid")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_fixture_read_written_and_read_again(name: str) -> None:
    cards = read_vcards(fixture(name))
    again = read_vcards(write_vcards([as_out(card) for card in cards]).encode("utf-8"))
    for before, after in zip(cards, again, strict=True):
        for key in ROUND_TRIP:
            default = ["u"] if key == "uid" else []  # as_out's uid for a card without one
            assert after.values.get(key, []) == before.values.get(key, default), key


# Any text a user may type: letters of every script, accents, and what vCard escapes.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from([",", ";", ":", "\\", "\n", "\t", "=", '"', " ", "é", "ñ", "€"]),
    ),
    max_size=120,
).filter(lambda text: text.strip() != "")
WORDS = st.lists(TEXT, max_size=4)


@settings(max_examples=300, deadline=None)
@given(
    uid=TEXT,
    name=TEXT,
    company=st.none() | TEXT,
    position=st.none() | TEXT,
    phones=WORDS,
    emails=WORDS,
    tags=st.lists(TEXT.filter(lambda tag: tag.strip().lower() != "mycontacts"), max_size=4),
    note=st.none() | TEXT,
)
def test_write_then_read_reproduces_the_card(
    uid: str,
    name: str,
    company: str | None,
    position: str | None,
    phones: list[str],
    emails: list[str],
    tags: list[str],
    note: str | None,
) -> None:
    card = VCardOut(uid, name, company, position, phones, emails, tags, note)
    (read,) = read_vcards(write_vcards([card]).encode("utf-8"))
    expected = {
        "uid": [uid],
        "name": [name],
        "company": [company] if company else [],
        "position": [position] if position else [],
        "phone": phones,
        "email": emails,
        "tags": tags,
        "note": [note] if note else [],
    }
    for key, values in expected.items():
        assert read.values.get(key, []) == [v.strip() for v in values], key
