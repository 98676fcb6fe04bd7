"""Writes of the family app: issuing and ending a family member's access to a case,
and the worker's choice whether their family may follow (docs/family.md)."""
