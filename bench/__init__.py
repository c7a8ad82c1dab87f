"""`make bench`: throughput, latency, page weight, a workshop burst and SQL references.

See docs/performance.md for what each measurement means and how to read it.
"""
