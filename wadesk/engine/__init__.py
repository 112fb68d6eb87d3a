"""wadesk.engine package."""
