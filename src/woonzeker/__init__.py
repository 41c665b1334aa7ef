"""Woonzeker: runs a covenant on preventing evictions for rent arrears."""
