"""Site search: paragraphs and glossary entries of every course, found by meaning (the
MiniLM encoder) and by words (the database's full-text index), rankings fused."""
