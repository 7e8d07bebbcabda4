"""Great Expectations suites over the marts, as code (run by warehouse/validate.py)."""
