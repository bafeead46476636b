"""The reference solution, shaped like the learner's folder: ``reference/dqn/``."""
