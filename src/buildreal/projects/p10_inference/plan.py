"""The fixed sizes, shifts and thresholds of Project 10's checks, shared by probes and
judges (and quoted on the project page)."""

from __future__ import annotations

import numpy as np

TRAIN_N = 128  # images the probes train on (one epoch): a model, not a good one
KNOWN_N = 64  # the known samples: first test images, for outputs and fingerprints
REFERENCE_N = 3000  # training images the monitor uses as its reference
ONNX_TOLERANCE = 1e-4  # largest |ONNX Runtime - PyTorch| logit gap accepted
CONFIDENCE_TOLERANCE = 1e-4
CLEAN_BEFORE_SHIFT = 1100  # requests of normal traffic before a shift starts
SHIFT_REQUESTS = 1000  # requests of shifted traffic
DETECT_WITHIN = 500  # an alert must fire within this many requests of the shift
RECOVERY_REQUESTS = 1500  # normal traffic after a shift
QUIET_AFTER = 500  # ...alerts must stop within this many requests of it
FALSE_ALARM_WINDOWS = 200  # unshifted windows counted for the false-alarm rate
FALSE_ALARM_RATE = 0.01
SPARSE_DRIFTS, SPARSE_GAP = 3, 5  # isolated drifted windows, unshifted windows between
BATCH = 10  # images per simulated request batch
BRIGHTNESS_DELTA = 40  # pixel values added (clipped at 255)
NOISE_SIGMA = 25.0  # Gaussian noise on the 0-255 scale
CLASS_MIX = (5, 7, 9)  # sandals, sneakers, ankle boots only


def brighten(images: np.ndarray) -> np.ndarray:
    """A camera exposure change: every pixel brighter by the same amount."""
    return np.clip(images.astype(np.int16) + BRIGHTNESS_DELTA, 0, 255).astype(np.uint8)


def add_noise(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A noisier sensor: Gaussian noise, clipped to the pixel range."""
    noisy = images.astype(np.float64) + rng.normal(0.0, NOISE_SIGMA, images.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)
