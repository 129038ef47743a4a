"""Building an edition: chapters, notebooks, provenance and the PDF board pack."""
