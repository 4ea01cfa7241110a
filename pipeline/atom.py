"""An Atom feed of contradictions, so a user can follow veille in any feed reader.

``render_contradiction_feed`` is pure (views in, XML out); ``veille serve`` answers it at
``/feeds/contradictions.atom``; ``write_contradiction_feed`` is what the daemon calls after each
cycle, for readers when no web server runs: it rewrites ``digest.atom_file``
atomically (a reader never sees half a file).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from config.settings import Settings
from extractors.values import format_value, metric_label, modality_note
from storage import contradictions as contradiction_store
from storage.contradictions import ContradictionView
from storage.db import Store
from storage.groups import ClaimGroupView

log = logging.getLogger(__name__)
FEED_ID = "urn:veille:contradictions"
FEED_LIMIT = 100


def _side(group: ClaimGroupView) -> str:
    lines = [f"<p><strong>{escape(format_value(group))}</strong>{escape(f' ({group.time})' if group.time else '')}</p><ul>"]
    for s in group.sources:
        note = modality_note(s.modality, s.speaker)
        day = s.published_at.strftime("%Y-%m-%d") if s.published_at else ""
        label = escape(s.site_name or s.title or s.url)
        lines.append(f'<li><a href="{escape(s.url)}">{label}</a> {escape(day)}{escape(" · " + note) if note else ""}</li>')
    lines.append("</ul>")
    return "".join(lines)


def render_contradiction_feed(items: Sequence[ContradictionView], *, updated: dt.datetime) -> str:
    """An Atom 1.0 document: one entry per conflict or update, newest first."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>veille: contradictions</title>",
        f"<id>{FEED_ID}</id>",
        f"<updated>{updated.astimezone(dt.UTC).isoformat()}</updated>",
        "<author><name>veille</name></author>",
    ]
    for c in items:
        title = f"{c.kind}: {c.subject} {metric_label(c.metric, c.qualifier)}, {round(c.gap * 100)}% apart"
        body = f"<p>{escape(c.explanation)}</p>{_side(c.a)}{_side(c.b)}"
        link = c.a.sources[0].url if c.a.sources else None
        out += [
            "<entry>",
            f"<title>{escape(title)}</title>",
            f"<id>{FEED_ID}:{c.id}</id>",
            f"<updated>{c.detected_at.astimezone(dt.UTC).isoformat()}</updated>",
            *([f"<link rel=\"alternate\" href={quoteattr(link)}/>"] if link else []),
            f'<category term="{c.kind}"/>',
            f"<summary>{escape(c.explanation)}</summary>",
            f'<content type="html">{escape(body)}</content>',
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def write_contradiction_feed(store: Store, settings: Settings) -> Path | None:
    """Rewrite ``digest.atom_file`` with the latest contradictions (none when the setting is empty)."""
    if not settings.digest.atom_file:
        return None
    path = Path(settings.digest.atom_file)
    items = contradiction_store.list_contradictions(store, limit=FEED_LIMIT)
    xml = render_contradiction_feed(items, updated=dt.datetime.now(dt.UTC))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".atom-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(xml)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.debug("contradiction feed %s: %d entries", path, len(items))
    return path
