"""pybackend: generate production-shaped Python backend services and keep them up to date."""
