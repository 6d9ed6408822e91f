"""The language dossier speaks: English (the source strings) or Spanish.

Standard-library ``gettext`` only. One catalogue, domain ``dossier``, holds dossier's own
messages and the Spanish of Typer's and Click's help and error chrome (see
``cli/chrome.py`` for why one domain and how the chrome is reached). The compiled ``.mo``
ships inside the package (``locale/es/LC_MESSAGES/dossier.mo``, committed; rebuild it
with ``python tools/i18n.py compile``).

English is the fast path: ``use("en")`` opens no file and changes nothing, and ``_``
returns its argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..domain.errors import UsageError

if TYPE_CHECKING:
    from gettext import GNUTranslations

__all__ = [
    "SUPPORTED",
    "UnsupportedLanguage",
    "_",
    "catalogue",
    "checked",
    "language",
    "ngettext",
    "pick_language",
    "use",
]

SUPPORTED = ("en", "es")
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # the first set and non-empty wins

_catalogue: list[GNUTranslations] = []  # the installed one, if not English
_language = ["en"]


class UnsupportedLanguage(UsageError):
    """A language asked for by name (``--lang``, the ``lang`` setting) that dossier does
    not speak. A usage error: one line, exit code 2."""

    def __init__(self, value: str, source: str = "--lang") -> None:
        super().__init__(
            "{source}: unsupported language {value!r}; use one of: {choices}",
            source=source,
            value=value,
            choices=", ".join(SUPPORTED),
        )
        self.value = value


def checked(value: str, source: str = "--lang") -> str:
    """``value`` as a supported language code (case and spaces ignored), or
    ``UnsupportedLanguage``.

    >>> checked(" ES ")
    'es'
    """
    code = value.strip().lower()
    if code not in SUPPORTED:
        raise UnsupportedLanguage(value, source)
    return code


def pick_language(flag: str | None, configured: str | None, environ: Mapping[str, str]) -> str:
    """The language of this run: the ``--lang`` flag, else the ``lang`` setting, else the
    locale (the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set and not empty).

    A flag or setting that names a language dossier does not speak raises
    ``UnsupportedLanguage``; a locale it does not speak (``fr_FR``, ``C``) is English.

    >>> pick_language(None, None, {"LANG": "es_ES.UTF-8"})
    'es'
    >>> pick_language(None, None, {"LC_ALL": "C", "LANG": "es_ES.UTF-8"})
    'en'
    >>> pick_language("en", "es", {"LANG": "es_MX"})
    'en'
    """
    if flag is not None:
        return checked(flag, "--lang")
    if configured is not None:
        return checked(configured, "lang")
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable)
        if value:
            return "es" if _locale_language(value) == "es" else "en"
    return "en"


def _locale_language(locale_name: str) -> str:
    """``es_ES.UTF-8@euro`` → ``es``."""
    name = locale_name.partition(".")[0].partition("@")[0]
    return name.replace("-", "_").partition("_")[0].lower()


def use(lang: str) -> GNUTranslations | None:
    """Speak ``lang`` for the rest of this process; returns its catalogue (None for
    English, which needs none). The front end puts its own chrome into the same language
    with it (``cli.chrome``).

    ``en`` undoes an earlier ``use("es")`` and otherwise does nothing at all.
    """
    if checked(lang) == "en":
        _catalogue.clear()
        _language[0] = "en"
        return None
    try:
        catalogue = _load(lang)
    except OSError:  # an install without its package data: English, not a traceback
        return use("en")
    _catalogue[:] = [catalogue]
    _language[0] = lang
    return catalogue


def language() -> str:
    """The language this run speaks (``en`` until ``use`` says otherwise)."""
    return _language[0]


def catalogue() -> GNUTranslations | None:
    """This run's catalogue; None in English, whose words are the ids themselves."""
    return _catalogue[0] if _catalogue else None


def _load(lang: str) -> GNUTranslations:
    """The compiled catalogue of ``lang`` (os.path, not pathlib: ``--help`` and
    ``--version`` would otherwise pay pathlib's import for one path)."""
    import os.path
    from gettext import GNUTranslations

    folder = os.path.join(os.path.dirname(__file__), "locale", lang, "LC_MESSAGES")
    with open(os.path.join(folder, "dossier.mo"), "rb") as handle:
        return GNUTranslations(handle)


def _(message: str) -> str:
    """``message`` in this run's language (itself in English, or when untranslated)."""
    return _catalogue[0].gettext(message) if _catalogue else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` things, in this run's language."""
    if _catalogue:
        return _catalogue[0].ngettext(singular, plural, n)
    return singular if n == 1 else plural
