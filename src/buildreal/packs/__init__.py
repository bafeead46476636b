"""Course packs: the model, loader, validator and Markdown renderer. No Django."""
