from garda.audit.gate import page_gate


def role_required(*allowed: str):
    """Anonymous users go to the log-in page; other roles get 403 and an audit row."""
    return page_gate(lambda user: user.role in allowed)
