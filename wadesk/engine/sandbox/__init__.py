"""The built-in Cloud API sandbox: a local Graph API look-alike with Meta's endpoints, JSON
shapes, rules and error codes, signed webhooks, and scripted customers.

    sandbox = Sandbox(demo_config())
    base_url = await sandbox.start()
    await sandbox.customer("79161234567").say("Здравствуйте!")
"""

from wadesk.engine.sandbox.customers import Customer, SandboxUsageError
from wadesk.engine.sandbox.demo import demo_config, demo_templates
from wadesk.engine.sandbox.rules import GraphError
from wadesk.engine.sandbox.server import Sandbox
from wadesk.engine.sandbox.state import (
    Counters,
    MediaItem,
    SandboxConfig,
    SandboxCustomer,
    SandboxNumber,
    SentMessage,
    TokenSpec,
)

__all__ = [
    "Counters",
    "Customer",
    "GraphError",
    "MediaItem",
    "Sandbox",
    "SandboxConfig",
    "SandboxCustomer",
    "SandboxNumber",
    "SandboxUsageError",
    "SentMessage",
    "TokenSpec",
    "demo_config",
    "demo_templates",
]
