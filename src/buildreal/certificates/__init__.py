"""Course completions: a record and a public verification page (and its PDF) for a
learner who has passed every test and exam of a course."""
