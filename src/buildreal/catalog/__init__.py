"""The catalog: course list, outlines and item pages, served from the in-memory packs."""
