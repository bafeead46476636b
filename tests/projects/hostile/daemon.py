"""Leave a setsid daemon behind that keeps writing to a file, then exit cleanly."""
import os
import sys
import time

beat = sys.argv[1]
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            with open(beat, "a") as f:
                f.write("x")
            time.sleep(0.02)
    os._exit(0)
while not os.path.exists(beat):
    time.sleep(0.01)
print("DAEMON STARTED")
