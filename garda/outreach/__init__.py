"""Outreach: events that bring people in (socialisation, job fairs, G-to-G information
sessions, capacity building), registrations and QR check-in, the funnel from an event
to a departure, and announcements (docs/outreach.md)."""
