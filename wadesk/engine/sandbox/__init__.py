"""wadesk.engine.sandbox package."""
