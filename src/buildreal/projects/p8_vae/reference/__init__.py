"""Reference solution of Project 8, laid out exactly like the learner's starter package."""
