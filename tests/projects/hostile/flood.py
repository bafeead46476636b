"""Print 2 GB."""
import sys

line = "x" * 1023 + "\n"
for _ in range(2 * 2**20):
    sys.stdout.write(line)
