"""A quick end-to-end run of your package: train briefly, export, compare, serve one
request in-process, and watch a brightness shift raise an alert.

    python example_run.py
"""

from __future__ import annotations

import numpy as np
import torch
from fastapi.testclient import TestClient
from serving import DriftMonitor, OnnxPredictor, create_app, export_onnx, preprocess, train_model

from buildreal.projects.data import load_fashion_mnist

torch.set_num_threads(1)
x, y = load_fashion_mnist("train")
tx, _ = load_fashion_mnist("test")
model = train_model(x[:3000], y[:3000], epochs=1, seed=0)
export_onnx(model, "model.onnx", tx[:64])
model.eval()
with torch.no_grad():
    expected = model(torch.from_numpy(preprocess(tx[:64]))).numpy()
gap = np.abs(OnnxPredictor("model.onnx").logits(preprocess(tx[:64])) - expected).max()
print(f"max |onnxruntime - torch| on 64 known samples: {gap:.2e}")

monitor = DriftMonitor(x[-3000:], y[-3000:])
client = TestClient(create_app("model.onnx", monitor=monitor, known_images=tx[:64]))
print(client.post("/predict", json={"input": tx[0].tolist()}).json())
brighter = np.clip(tx[:600].astype(np.int16) + 40, 0, 255).astype(np.uint8)
for i in range(0, 600, 10):
    for report in monitor.observe(brighter[i : i + 10], y[i : i + 10]):
        print(f"window ending at request {report['end_request']}: alerts {report['alerts']}")
