"""The daily digest: the day's articles and claims as an HTML email with a plain-text part.

``build_digest`` renders (no I/O beyond the store query); ``deliver`` sends it by SMTP when
``smtp.host`` is set, else writes an ``.eml`` file into ``digest.outbox_dir``.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

import jinja2

from config.errors import VeilleError
from config.settings import DigestSettings, Settings, SmtpSettings
from extractors.values import format_value
from storage import articles as article_store
from storage import contradictions as contradiction_store
from storage import digests as digest_store
from storage.db import Store

log = logging.getLogger(__name__)

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("pipeline", "templates"),
    autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
    trim_blocks=False,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_ENV.filters["claim_value"] = format_value


def _distinct(claims: Sequence[Any]) -> list[Any]:
    """One line per fact an article states: its headline and body often repeat a figure."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for claim in claims:
        key = (claim.subject, claim.metric, format_value(claim), getattr(claim, "qualifier", None))
        if key not in seen:
            seen.add(key)
            out.append(claim)
    return out


_ENV.filters["distinct"] = _distinct


class DeliveryError(VeilleError):
    """The digest could not be handed to the SMTP server or written to the outbox."""


@dataclass(frozen=True, slots=True)
class Digest:
    day: dt.date
    subject: str
    html: str
    text: str
    article_count: int
    claim_count: int


@dataclass(frozen=True, slots=True)
class Delivery:
    via: str  # "smtp" or "outbox"
    message_id: str
    recipients: tuple[str, ...]
    path: Path | None = None


def render_digest(
    day: dt.date,
    articles: Sequence[Any],
    settings: DigestSettings,
    contradictions: Sequence[Any] = (),
) -> Digest:
    """Render the digest of ``day`` from article views (each with ``claims``)."""
    claim_count = sum(len(a.claims) for a in articles)
    subject = f"{settings.subject_prefix} AI news digest {day.isoformat()}: {len(articles)} article" + (
        "s" if len(articles) != 1 else ""
    )
    context = {
        "subject": subject.strip(),
        "articles": articles,
        "claim_count": claim_count,
        "contradictions": contradictions,
    }
    return Digest(
        day=day,
        subject=subject.strip(),
        html=_ENV.get_template("digest.html.j2").render(context),
        text=_ENV.get_template("digest.txt.j2").render(context),
        article_count=len(articles),
        claim_count=claim_count,
    )


def to_message(digest: Digest, settings: DigestSettings) -> EmailMessage:
    """A multipart/alternative email: plain text first, HTML second."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients) or settings.sender
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "veille")
    message.set_content(digest.text)
    message.add_alternative(digest.html, subtype="html")
    return message


def deliver(message: EmailMessage, settings: Settings) -> Delivery:
    """Send by SMTP when configured, else write ``<outbox>/<date>-<id>.eml``."""
    recipients = tuple(settings.digest.recipients) or (settings.digest.sender,)
    message_id = str(message["Message-ID"])
    if settings.smtp.host:
        _send_smtp(message, settings.smtp, settings.digest.sender, recipients)
        log.info("digest %s sent to %s via %s", message_id, ", ".join(recipients), settings.smtp.host)
        return Delivery(via="smtp", message_id=message_id, recipients=recipients)
    outbox = Path(settings.digest.outbox_dir)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = outbox / f"digest-{stamp}-{message_id.strip('<>').split('@')[0]}.eml"
    try:
        outbox.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(message))
    except OSError as exc:
        raise DeliveryError(f"outbox {outbox}: {exc.strerror or exc}") from exc
    log.info("digest %s written to %s", message_id, path)
    return Delivery(via="outbox", message_id=message_id, recipients=recipients, path=path)


def _send_smtp(
    message: EmailMessage, smtp: SmtpSettings, sender: str, recipients: tuple[str, ...]
) -> None:
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
            if smtp.username:
                client.login(smtp.username, smtp.password)
            refused = client.send_message(message, from_addr=sender, to_addrs=list(recipients))
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP {smtp.host}:{smtp.port}: {exc}") from exc
    if refused:
        raise DeliveryError(f"SMTP {smtp.host}:{smtp.port} refused {', '.join(sorted(refused))}")


def build_digest(store: Store, day: dt.date, settings: Settings) -> Digest:
    """The digest of the articles fetched on ``day`` (UTC) and the contradictions found that day."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    articles = article_store.articles_between(store, start, start + dt.timedelta(days=1))
    kept = [a for a in articles if a.status != "skipped" and a.duplicate_of is None]
    end = start + dt.timedelta(days=1)
    found = [c for c in contradiction_store.list_contradictions(store, since=start) if c.detected_at < end]
    return render_digest(day, kept, settings.digest, contradictions=found)


def send_digest(store: Store, day: dt.date, settings: Settings) -> Delivery:
    """Build, deliver and record the digest of ``day``."""
    digest = build_digest(store, day, settings)
    delivery = deliver(to_message(digest, settings.digest), settings)
    digest_store.record_digest(
        store, day, sent_at=dt.datetime.now(dt.UTC), recipients=delivery.recipients,
        delivered_via=delivery.via, message_id=delivery.message_id, article_count=digest.article_count,
    )
    return delivery


def send_daily_digest(settings: Settings, store: Store, *, today: dt.date | None = None) -> Delivery | None:
    """The scheduler's job: yesterday's digest, once."""
    day = (today or dt.datetime.now(dt.UTC).date()) - dt.timedelta(days=1)
    if digest_store.digest_for(store, day) is not None:
        log.info("digest for %s already sent", day)
        return None
    return send_digest(store, day, settings)
