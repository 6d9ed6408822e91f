"""Messages into words: the one place a notice or an error becomes a sentence.

A ``Message`` (``domain.messages``) says what happened; here it is said in the run's
language (``i18n``): its template looked up in the catalogue, its days and months
written as that language writes them, and any message it carries said first.
"""

from __future__ import annotations

from ..domain.errors import DossierError
from ..domain.messages import Message, fill
from ..i18n import catalogue, language


def words(message: Message | DossierError) -> str:
    """``message`` as a sentence in this run's language."""
    said = message.message if isinstance(message, DossierError) else message
    params = {
        key: words(value) if isinstance(value, Message) else value
        for key, value in said.params.items()
    }
    return fill(said.template(catalogue()), params, language())


def english(message: Message) -> str:
    """``message`` in English whatever the run's language: what ``--json`` carries (data
    scripts read must not change with the language)."""
    return str(message)
