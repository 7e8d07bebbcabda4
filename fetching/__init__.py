"""Fetching: the catalogue, listing pages (crawl, listings/), HTTP with its politeness and safety rules, robots.txt,
and the content-addressed raw store. It hands bytes to `extract` (which it may import: decoding, inflating);
`extract` never imports it."""
