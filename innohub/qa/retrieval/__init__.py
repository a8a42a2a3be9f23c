"""Vietnamese-aware passage retrieval for the Q&A service (plain Python, no Django)."""
