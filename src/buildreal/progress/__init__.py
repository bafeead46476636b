"""Progress: completions (XP awarded once per item) and the learner's dashboard."""
