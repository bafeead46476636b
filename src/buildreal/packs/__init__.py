"""Course packs: the model, loader, validator and Markdown renderer. No Django.

Public entry points (their names are stable; other modules are internal):

- ``model``: the frozen dataclasses every other part codes against;
- ``loader``: ``load_course``, ``load_catalog``, ``validate_course``, ``PackError``;
- ``render``: ``render_markdown``, ``render_inline`` (sanitized HTML);
- ``figures``: ``build_figures``, ``FigureError``;
- ``snippets``: ``python_blocks``, ``run_snippet``;
- ``execute``: ``executed_blocks``, ``build_outputs``, ``load_output`` (``python exec`` and
  predict blocks, run at build time and stored by hash; ``warm`` is their runner);
- ``predict``: ``predict_blocks``; ``notebook``: ``build_notebook``, ``has_notebook``;
- ``schema``: ``SCHEMA_VERSION``, the supported versions and the upgrade steps;
- ``cli``: ``buildreal check-pack``, ``buildreal build-pack`` and ``buildreal build-figures``.

Inside, dependencies point one way: ``loader`` -> ``items`` -> ``fields`` / ``mdcheck``
-> ``markdown`` / ``yamlsrc`` -> ``model``. ``render`` shares only ``markdown`` with the
validator, so what check-pack accepts is exactly what the page shows.
"""
