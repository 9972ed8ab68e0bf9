"""Reading report archives and writing results, streaming, in input order."""
