"""What other projects import from Project 5 (the final project translates with it).

    from buildreal.projects.p5_translator.api import load_translator
    es_en = load_translator("es-en")          # trains once (about 15 min), then loads
    es_en.translate(["y dijo dios: sea la luz"], beam=4)

Models are cached under ``models_dir`` (default ``data/models/p5-translator``, beside
``data/datasets``), one folder per direction and preset; a missing model is trained
unless ``train_if_missing=False``, which raises ``ModelMissing`` instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from buildreal.projects.data.paths import datasets_dir
from buildreal.projects.p5_translator import system
from buildreal.projects.p5_translator.system import Translator

__all__ = ["ModelMissing", "Translator", "default_models_dir", "load_translator"]


class ModelMissing(FileNotFoundError):
    """No trained model is saved for this direction and preset."""


def default_models_dir() -> Path:
    return datasets_dir().parent / "models" / "p5-translator"


def load_translator(direction: str = "es-en", models_dir: Path | None = None,
                    train_if_missing: bool = True, preset: str = "small") -> Translator:
    """The reference translator for ``direction`` ("es-en" or "en-es"), loaded from
    ``models_dir`` or trained there first. ``preset="tiny"`` trains in seconds (tests)."""
    system.check_direction(direction)
    system.preset(preset)
    folder = system.model_dir(Path(models_dir or default_models_dir()), direction, preset)
    if (folder / "model.pt").is_file():
        return system.load(folder)
    if not train_if_missing:
        raise ModelMissing(f"no {direction} translator ({preset}) in {folder}; run "
                           f"`run_transformer_translate --direction {direction} --preset "
                           f"{preset} \"...\"` to train one, or pass train_if_missing=True")
    translator = system.train_system(direction, preset, log=lambda m: print(m, file=sys.stderr))
    system.save(translator, folder)
    return translator
