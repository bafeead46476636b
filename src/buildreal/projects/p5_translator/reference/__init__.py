"""Reference solution of Project 5 (kept apart from the toolkit so checks judge it alike)."""
