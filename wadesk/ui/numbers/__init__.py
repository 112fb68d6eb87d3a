"""The Numbers page: configured numbers, their checks and limits, and the tunnel status."""
