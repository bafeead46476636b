"""The lab partner: analysis of learner turns, moves, and backends. No Django."""
