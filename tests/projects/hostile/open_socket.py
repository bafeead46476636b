"""Connect to a server on the checking machine and send it a message."""
import socket
import sys

try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2) as s:
        s.sendall(b"hello from learner code")
    print("SENT")
except OSError as exc:
    print(exc)
