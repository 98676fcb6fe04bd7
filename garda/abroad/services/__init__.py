"""The writes of lapor diri: stays (stays.py), check-ins (checkins.py) and the
periodic reminders (reminders.py)."""
