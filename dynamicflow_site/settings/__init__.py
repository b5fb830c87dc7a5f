"""Settings read from the environment; base holds everything, test adjusts for pytest."""
