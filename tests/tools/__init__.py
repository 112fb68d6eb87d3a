"""Test tools: the fake ngrok agent and helpers to point pyngrok at it."""
