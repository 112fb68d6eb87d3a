"""wadesk.ui package."""
