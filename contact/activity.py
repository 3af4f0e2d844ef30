"""Timeline sentences for contacts and tickets (translated when shown)."""
