"""Hand-written runtime shared by every generated operation: requests, retries, responses, errors."""
