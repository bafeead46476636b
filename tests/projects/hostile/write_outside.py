"""Write a file outside the learner's folder, and into the system."""
import sys

for target in (sys.argv[1], "/usr/lib/buildreal-was-here"):
    try:
        with open(target, "w") as f:
            f.write("owned")
        print("WROTE", target)
    except OSError as exc:
        print(exc)
