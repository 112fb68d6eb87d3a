"""wadesk.flow package."""
