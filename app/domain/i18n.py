"""Mark strings for translation without importing Babel.

``N_`` returns its argument unchanged; ``pybabel extract`` finds the marked
strings, and the web layer translates them at request time with ``gettext``.
"""


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translate it later, where a locale is known."""
    return message
