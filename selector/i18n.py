"""Messages in the planner's language, through gettext catalogues.

Every sentence selector shows a person (an error and its fix, a warning, a summary line, a plot
title) is written in English in the code, wrapped in ``_()``, and translated at the moment it is
made from the catalogue of the current language (``selector/locale/<lang>/LC_MESSAGES/selector.mo``,
compiled from the ``.po`` beside it with Babel). Unit ids, row and column names of files, and
constraint names are never translated.

    _("year {year} is outside the horizon {first}-{last}", year=2560, first=2555, last=2558)

The template is translated first and filled in afterwards, so a translator moves the fields freely.
The language is chosen per context (``language("th")``, or ``set_language``); when nothing chose
it, it is ``SELECTOR_LANG``, then the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), then English.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterator

LANGUAGES = ("en", "th")
DOMAIN = "selector"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("selector_language", default=None)


def default_language() -> str:
    """The language when nothing chose one: ``SELECTOR_LANG``, then the locale, then English."""
    for name in ("SELECTOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip().lower()
        if value:
            return "th" if value.startswith("th") else "en"
    return "en"


def current_language() -> str:
    """The language messages are made in now."""
    return _current.get() or default_language()


def set_language(lang: str | None) -> None:
    """Choose the language of every later message in this context (``None``: back to the default)."""
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    _current.set(lang)


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Make the messages of a block in ``lang``; the previous language comes back afterwards."""
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English, and a language without a catalogue, translate to themselves)."""
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


def _(message: str, /, **values: object) -> str:
    """``message`` in the current language, with ``{name}`` fields filled from ``values``."""
    text = translations(current_language()).gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The singular or plural form for ``n`` in the current language; ``{n}`` is filled in too."""
    text = translations(current_language()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def N_(message: str, /) -> str:
    """Mark a message for the catalogue without translating it now (module-level tables)."""
    return message
