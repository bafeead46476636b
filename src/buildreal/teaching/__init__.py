"""Teaching: cohorts tie an instructor to learners. Other apps ask ``can_view_learner``
before showing an instructor a learner's records (for example lab transcripts)."""
