"""Every write of the compliance app: `purge` (retention), `holds`, `incidents`."""
