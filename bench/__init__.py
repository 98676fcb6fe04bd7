"""The project's benchmark and its synthetic population: development tools, not part
of the product (the wheel packages `garda` only). `python -m bench --help`."""
