"""Fork until refused; every child sleeps, so all of them are alive at once."""
import os
import sys
import time

started = 0
try:
    while started < 10_000:
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        started += 1
except OSError as exc:
    print(exc)
print("STARTED", started, sys.argv[1])
