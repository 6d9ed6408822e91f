"""What dossier tells the user, as data: an id, its parameters and a kind.

The layers below ``ui/`` never compose a sentence. They say *what* happened as a
``Message`` (a notice) or a ``DossierError`` (which carries one), and ``ui/words.py`` puts
it into the words of the run's language. Rich styles a message by its kind, never by
matching its text.

The id is the message's English template, in ``str.format`` syntax: the gettext msgid
that every catalogue translates (``i18n/locale/*/LC_MESSAGES/dossier.po``), so a message
and its English words cannot drift apart, and ``tools/i18n.py`` finds every id in the
code. The parameters are values, not words: a ``date`` is written as the language
writes a day (``{day}`` is "Fri 5 Jul 2024" or "vie 5 jul 2024", ``{day:long}`` the long
form, ``{day:weekday}`` its weekday, ``{day:iso}`` 2024-07-05), a ``MonthTab`` as its
month, and ``{text!r}`` quotes what the user typed.

>>> from datetime import date
>>> fill("{day} is {why}", {"day": date(2024, 7, 6), "why": "a Saturday"})
'Sat 6 Jul 2024 is a Saturday'
>>> fill("{day} is {why}", {"day": date(2024, 7, 6), "why": "sábado"}, lang="es")
'sáb 6 jul 2024 is sábado'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Literal, NamedTuple, Protocol

Kind = Literal["note", "warning", "alert", "hint", "error"]
NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


class Message(NamedTuple):
    """Something to tell the user. ``kind``: ``note`` (what was done), ``warning`` (done,
    but look), ``alert`` (needs action: over capacity), ``hint`` (a next step to take),
    ``error`` (refused). ``plural`` is the template's plural form, chosen by the
    ``count`` parameter."""

    id: str
    params: Mapping[str, Any] = NO_PARAMS
    kind: Kind = "note"
    plural: str | None = None

    def __str__(self) -> str:
        """The English words (logs, tracebacks); a view goes through ``ui.words``."""
        return fill(self.template(), self.params)

    def template(self, translate: Translate | None = None) -> str:
        """The template in a catalogue's language (English without ``translate``)."""
        if self.plural is not None:
            count = int(self.params.get("count", 0))
            if translate is None:
                return self.id if count == 1 else self.plural
            return translate.ngettext(self.id, self.plural, count)
        return self.id if translate is None else translate.gettext(self.id)


class Translate(Protocol):
    """A catalogue, as gettext's translation objects are."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


def note(id: str, /, **params: Any) -> Message:
    return Message(id, params, "note")


def warning(id: str, /, **params: Any) -> Message:
    return Message(id, params, "warning")


def fill(template: str, params: Mapping[str, Any], lang: str = "en") -> str:
    """The template with its parameters in, written as ``lang`` writes days and months.

    A template without fields is returned as it is (braces in it are then literal).
    ``str.format_map`` does the work (a view fills thousands of messages: a
    ``string.Formatter`` costs several times as much); a day, a month or a message goes
    in wrapped in ``_Written``, whose ``__format__`` writes it in ``lang``.
    """
    if not params:
        return template
    return template.format_map({key: _written(value, lang) for key, value in params.items()})


def _written(value: Any, lang: str) -> Any:
    if isinstance(value, date | tuple) and not isinstance(value, str):
        return _Written(value, lang)
    if lang == "es" and isinstance(value, int) and not isinstance(value, bool):
        return _Written(value, lang)  # {count:,}: Spanish groups thousands with '.'
    return value


class _Written:
    """A day, a month tab, a month's name or a message, to be written in ``lang``."""

    __slots__ = ("lang", "value")

    def __init__(self, value: Any, lang: str) -> None:
        self.value = value
        self.lang = lang

    def __format__(self, spec: str) -> str:
        said = _format_field(self.value, spec, self.lang)
        return said if said is not None else format(self.value, spec)

    def __str__(self) -> str:
        return self.__format__("")

    def __repr__(self) -> str:
        return repr(self.value)

    def __getattr__(self, name: str) -> Any:  # {day.year}: the value's own attributes
        return getattr(self.value, name)


def _format_field(value: Any, format_spec: str, lang: str) -> str | None:
    """A day, a month tab, a message or a grouped number (``{count:,}``: 30,000 in
    English, 30.000 in Spanish) as ``lang`` writes it; None for anything else."""
    from .dates import MonthName, MonthTab, format_day, format_long_day, format_month, lexicon

    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".") if format_spec == "," and lang == "es" else None

    if isinstance(value, date):
        if format_spec == "iso":
            return value.isoformat()
        if format_spec == "long":
            return format_long_day(value, lang=lang)
        if format_spec == "weekday":
            return lexicon(lang).weekdays[value.weekday()]
        if not format_spec:
            return format_day(value, lang=lang)
    if isinstance(value, MonthTab) and not format_spec:
        return format_month(value.year, value.month, lang=lang)
    if isinstance(value, MonthName) and not format_spec:
        return lexicon(lang).months[value.number - 1]
    if isinstance(value, Message):  # ui.words puts nested messages into words first
        return str(value)
    return None
