"""Tables of this app (filled in by its first feature)."""
