"""wadesk.engine.cloudapi package."""
