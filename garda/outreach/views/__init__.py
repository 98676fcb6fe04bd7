"""Pages of the outreach app, one module per part."""
