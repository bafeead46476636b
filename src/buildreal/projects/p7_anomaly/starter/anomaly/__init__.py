"""Your Project 7 package. `buildreal project check p7-anomaly` imports these names."""

from .detect import (
    choose_threshold,
    feature_errors,
    flag_anomalies,
    reconstruction_error,
    top_false_positives,
)
from .model import build_autoencoder
from .scaling import Scaler, fit_scaler
from .train import Detector, Experiment, TrainConfig, fit_detector, run_experiment

__all__ = ["Detector", "Experiment", "Scaler", "TrainConfig", "build_autoencoder",
           "choose_threshold", "feature_errors", "fit_detector", "fit_scaler",
           "flag_anomalies", "reconstruction_error", "run_experiment", "top_false_positives"]
