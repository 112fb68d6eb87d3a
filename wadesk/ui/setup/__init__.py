"""Setup: the number wizard with live checks, and the connection (tunnel) settings."""
