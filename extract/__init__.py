"""Parsing of OGI annual reports: bytes in, `Extraction` records out. (Fetching them is `fetching/`.)"""

from extract.extractor import EXTRACTOR_VERSION, extract_bytes, extract_path

__all__ = ["EXTRACTOR_VERSION", "extract_bytes", "extract_path"]
