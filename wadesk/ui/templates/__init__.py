"""The Templates page: synced message templates per number, preview, sync, send."""
