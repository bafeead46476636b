"""Projects completed by their checks: per-learner toolkit tokens, and the submissions
that ``buildreal project check ID --submit`` sends (verdicts per DoD item, file hashes,
toolkit version). A project completes, and pays its XP, only when every item passes."""
