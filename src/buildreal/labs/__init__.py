"""The lab page: a chat with the lab partner, saved after every turn. Thin around
``buildreal.tutor``: the engine decides everything; this app stores and shows it."""
