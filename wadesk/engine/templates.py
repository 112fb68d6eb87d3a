"""Template sync: fetch a number's message templates from the Graph API (all pages) and make
the store hold exactly them; subscribers get a `TemplatesSynced` event.

    count = await engine.sync_templates("Salon")
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from wadesk.core.events import EngineEvent, TemplatesSynced
from wadesk.core.models import Number
from wadesk.core.templates import MessageTemplate
from wadesk.engine.clients import ClientPool
from wadesk.engine.store import Store
from wadesk.engine.store import templates as template_store

log = logging.getLogger("wadesk.templates")


class UnknownNumber(LookupError):
    """No number with this label, Phone Number ID or row id; str() names the known ones."""


def find_number(numbers: list[Number], number: str | int) -> Number:
    for candidate in numbers:
        if number in (candidate.id, candidate.label, candidate.phone_number_id):
            return candidate
    known = ", ".join(n.label for n in numbers) or "none yet"
    raise UnknownNumber(f"No number '{number}' (known: {known}).")


async def sync_templates(
    store: Store,
    clients: ClientPool,
    publish: Callable[[EngineEvent], None],
    number: str | int,
) -> int:
    """Sync the templates of `number` (label, Phone Number ID or row id); returns how many.

    Graph and network errors propagate (they explain themselves); the stored templates are
    then left as they were.
    """
    from wadesk.engine.store import repo

    found = find_number(await store.read(repo.list_numbers), number)
    client = await clients.get(found.phone_number_id, found.waba_id)
    templates = await client.templates()
    count = await store.write(
        partial(template_store.replace_templates, number_id=found.id, templates=templates)
    )
    log.info("Templates of %s synced: %d", found.label, count)
    publish(TemplatesSynced(number_id=found.id, count=count))
    return count


async def list_templates(
    store: Store, number_id: int, *, approved_only: bool = False
) -> list[MessageTemplate]:
    return await store.read(
        partial(template_store.list_templates, number_id=number_id, approved_only=approved_only)
    )
