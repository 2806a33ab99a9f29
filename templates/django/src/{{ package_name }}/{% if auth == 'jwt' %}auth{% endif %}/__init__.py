"""Users, passwords and access tokens: /api/v1/auth and /api/v1/users."""
