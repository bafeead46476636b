"""Assessments: lesson quizzes (graded per answer) and module tests / exams (one submission).

Grading is pure Python (``grading.py``); the models keep every answer with the content
hash of the item it answered; the views never send a correctness marker for a test
before its attempt is submitted.
"""
