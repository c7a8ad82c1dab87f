"""The pure core: instruments, scoring, guidance and lifecycles.

Nothing in this package imports Flask, SQLAlchemy, WTForms, Babel or Plotly
(``tests/test_architecture.py`` walks the imports). Everything here is data in,
frozen data out; invalid input raises a ``DomainError``.
"""
