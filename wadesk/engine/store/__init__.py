"""wadesk.engine.store package."""
