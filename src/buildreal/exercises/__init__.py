"""Lessons that run: executed output on the page, "Predict, then run" exercises, lesson
notebooks and the interactive widgets. Pages of kind lesson/page/synthesis are served
from here (registered over the catalog's plain prose view)."""
