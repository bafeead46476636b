"""Print a file outside the learner's folder, and the environment's secrets."""
import os
import sys

try:
    print("SECRET:", open(sys.argv[1]).read())
except OSError as exc:
    print(exc)
print("ENV:", os.environ.get("BUILDREAL_TEST_SECRET"))
