"""The module check page: a module's overview, deck, quiz, synthesis and capstone on one
page, in the pack's order, with what is done and what is left."""
