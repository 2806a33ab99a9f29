"""Users and their bearer tokens: registration, token issue and the current user."""
