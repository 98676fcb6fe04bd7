"""Pages of lapor diri: the worker's (mine.py) and the staff's and embassies' (staff.py)."""
