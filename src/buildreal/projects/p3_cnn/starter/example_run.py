"""A tiny end-to-end run of your package: 2,000 images, 3 epochs, about a minute on a CPU.

    python example_run.py
"""

from __future__ import annotations

import torch
from cnn import TrainConfig, predict_proba, train_model

from buildreal.projects.p3_cnn.data import fashion_split

torch.set_num_threads(2)
split = fashion_split(limit=2000)
result = train_model(
    split.x_train, split.y_train, split.x_val, split.y_val, TrainConfig(epochs=3),
    on_epoch=lambda e, row: print(
        f"epoch: {e} train_acc: {row['train_acc']:.2f} val_acc: {row['val_acc']:.2f}"),
)
accuracy = (predict_proba(result.model, split.x_test).argmax(1) == split.y_test).float().mean()
print(f"test accuracy after a tiny run: {accuracy:.3f}")
