"""The live chat inbox: conversation list, search and filters (`page.py`, `list_model.py`,
`list_delegate.py`), the contact panel (`contact_panel.py`) and the message view with the
composer (`conversation/`)."""
