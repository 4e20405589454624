"""Site search over published posts: PostgreSQL full-text search or SQLite FTS5, one interface.

``search.backends.search_posts(query)`` is the interface; docs/search.md explains the design.
"""
