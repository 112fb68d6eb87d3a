"""The open conversation of the inbox: message model, bubble delegate, list view, composer.

`ConversationView(engine, bridge, translator)` is what the Inbox page embeds.
"""

from wadesk.ui.inbox.conversation.view import ConversationView

__all__ = ["ConversationView"]
