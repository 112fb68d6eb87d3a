"""wadesk.core package."""
