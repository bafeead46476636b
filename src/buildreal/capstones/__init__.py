"""The capstone exchange: write a brief, pair, object, respond, revise.

``briefs`` and ``labpartner`` are pure (no Django); the app's models, services and views
sit on them.
"""
