"""Fetching and parsing of OGI annual reports: bytes in, `Extraction` records out."""
