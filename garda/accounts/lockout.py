def lockout_username(request, credentials) -> str | None:
    """The key axes counts failures under: the e-mail, case-folded, so that
    'Wati@…' and 'wati@…' share one counter."""
    data = credentials or getattr(request, "POST", {}) or {}
    username = data.get("username") or data.get("email")
    return username.strip().lower() if username else None
