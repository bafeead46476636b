"""Allocate (and touch) 16 MB at a time until refused."""
chunks = []
try:
    while len(chunks) < 10_000:
        chunks.append(bytearray(16 * 2**20))
finally:
    print("ALLOCATED_MB", 16 * len(chunks))
