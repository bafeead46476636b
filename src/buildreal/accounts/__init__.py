"""Accounts: sign up, log in (rate limited), log out, and the first instructor account."""
