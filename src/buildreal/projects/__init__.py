"""The ten Mastery projects: reference code, starters, Definition-of-Done checks and the
toolkit behind ``buildreal project ...``. Pure Python (NumPy, PyTorch); no Django."""
