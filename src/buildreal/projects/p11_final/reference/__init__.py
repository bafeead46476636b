"""The reference solution of the final project (the ``catalogue`` package)."""
