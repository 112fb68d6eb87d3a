"""The Activity page: webhook event inspector, health strip, log viewer and diagnostics."""
