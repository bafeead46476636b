"""Reference solution of Project 10, laid out like the learner starter."""
