"""wadesk: a desktop inbox and bot builder for the WhatsApp Business Cloud API."""

__version__ = "0.1.0"
