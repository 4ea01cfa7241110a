"""The daily digest: what changed in the figures, most important first, mailed exactly once.

``collect_digest`` reads one day from the store into a :class:`DigestContent` (the day's
conflicts, then updates, then its new facts grouped by entity with parts under their whole,
then the articles with their summaries); ``render_digest`` turns it into an HTML mail and a
plain-text part that say the same thing; ``send_digest`` claims the day in the store, delivers
(SMTP when ``smtp.host`` is set, else an ``.eml`` file in ``digest.outbox_dir``) and marks it
sent, so a second call, a second process or a restarted daemon never mails a day twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import jinja2

from config.errors import ConfigError, VeilleError
from config.settings import DigestSettings, Settings, SmtpSettings
from extractors.values import format_value, metric_label, modality_note
from storage import articles as article_store
from storage import contradictions as contradiction_store
from storage import digests as digest_store
from storage import feeds as feed_store
from storage import groups as group_store
from storage.articles import ArticleView
from storage.claims import ClaimView
from storage.contradictions import ContradictionView
from storage.db import Store
from storage.feeds import FeedProblem
from storage.groups import ClaimGroupView, SourceView

log = logging.getLogger(__name__)

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("pipeline", "templates"),
    autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_ENV.filters["claim_value"] = format_value
_ENV.filters["metric_label"] = metric_label
_ENV.filters["note"] = lambda source: modality_note(source.modality, source.speaker)
_ENV.filters["day"] = lambda value: value.strftime("%Y-%m-%d") if value else ""


def _by_article(sources: Sequence[SourceView]) -> list[SourceView]:
    """A fact's sources, one per article (a headline and its body state a figure twice)."""
    seen: set[str] = set()
    out = []
    for source in sources:
        if source.url not in seen:
            seen.add(source.url)
            out.append(source)
    return out


_ENV.filters["by_article"] = _by_article
_SUBJECT_TOPICS = 3


class DeliveryError(VeilleError):
    """The digest could not be handed to the SMTP server or written to the outbox."""


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """The day's new facts about one entity, its parts' facts beneath it."""

    name: str
    facts: tuple[ClaimGroupView, ...]
    parts: tuple[EntityFacts, ...] = ()

    @property
    def fact_count(self) -> int:
        return len(self.facts) + sum(p.fact_count for p in self.parts)


@dataclass(frozen=True, slots=True)
class DigestContent:
    day: dt.date
    conflicts: tuple[ContradictionView, ...] = ()
    updates: tuple[ContradictionView, ...] = ()
    entities: tuple[EntityFacts, ...] = ()
    articles: tuple[ArticleView, ...] = ()
    feed_problems: tuple[FeedProblem, ...] = ()
    """Polled feeds that failed or went stale: a feed that died is never discovered weeks later."""

    @property
    def fact_count(self) -> int:
        return sum(e.fact_count for e in self.entities)


@dataclass(frozen=True, slots=True)
class Digest:
    day: dt.date
    subject: str
    html: str
    text: str
    article_count: int
    claim_count: int
    content: DigestContent = field(repr=False, default_factory=lambda: DigestContent(dt.date.min))


@dataclass(frozen=True, slots=True)
class Delivery:
    via: str  # "smtp" or "outbox"
    message_id: str
    recipients: tuple[str, ...]
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class DigestOutcome:
    """What ``send_digest`` did: ``state`` is ``new``, ``retry`` (a claimed send that was never
    confirmed went out again), ``forced``, ``sent`` (already sent: nothing was delivered) or
    ``busy`` (another process is sending it right now: nothing was delivered)."""

    state: str
    record: digest_store.DigestRecord
    delivery: Delivery | None = None


# --- what the day holds ------------------------------------------------------------------------


def group_by_entity(facts: Sequence[ClaimGroupView], parent_of: Mapping[str, str]) -> tuple[EntityFacts, ...]:
    """Facts by subject, each part (``parent_of[part] == whole``) under its whole, entities with
    the most facts first; a part whose whole has no fact today still sits under it."""
    by_subject: dict[str, list[ClaimGroupView]] = {}
    for fact in facts:
        by_subject.setdefault(fact.subject, []).append(fact)

    def top(name: str) -> str:
        seen = {name}
        while name in parent_of and parent_of[name] not in seen:
            name = parent_of[name]
            seen.add(name)
        return name

    roots: dict[str, list[str]] = {}
    for subject in by_subject:
        roots.setdefault(top(subject), []).append(subject)

    def ordered(items: list[ClaimGroupView]) -> tuple[ClaimGroupView, ...]:
        return tuple(sorted(items, key=lambda g: (g.metric, g.time or "", -(g.value_high or g.value_low or 0), g.id)))

    out = []
    for root, members in roots.items():
        parts = tuple(
            EntityFacts(name, ordered(by_subject[name])) for name in sorted(m for m in members if m != root)
        )
        out.append(EntityFacts(root, ordered(by_subject.get(root, [])), parts))
    return tuple(sorted(out, key=lambda e: (-e.fact_count, e.name.casefold())))


def collect_digest(
    store: Store, day: dt.date, parent_of: Mapping[str, str] | None = None, *, stale_after_days: float = 7.0,
) -> DigestContent:
    """The digest of ``day`` (UTC): contradictions detected that day, the facts its new
    articles state (each once, with all its sources), those articles, and the feeds that were
    failing or stale at the day's end."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    end = start + dt.timedelta(days=1)
    articles = article_store.articles_between(store, start, end)
    kept = tuple(a for a in articles if a.status != "skipped" and a.duplicate_of is None)
    found = [c for c in contradiction_store.list_contradictions(store, since=start) if c.detected_at < end]
    conflicts = tuple(sorted((c for c in found if c.kind == "conflict"), key=lambda c: (-c.gap, c.id)))
    updates = tuple(sorted((c for c in found if c.kind == "update"), key=lambda c: (-c.gap, c.id)))
    in_contradiction = {g.id for c in found for g in (c.a, c.b)}
    group_ids = {c.group_id for a in kept for c in a.claims if c.group_id is not None}
    facts = group_store.group_views(store, group_ids - in_contradiction)
    parents = dict(parent_of or {})
    for g in facts:  # ("Google", "Google DeepMind", "Gemini"): each name's whole
        parents.update({part: whole for whole, part in zip(g.path, g.path[1:], strict=False)})
    problems = tuple(feed_store.feed_problems(store, end, stale_after_days=stale_after_days))
    return DigestContent(day, conflicts, updates, group_by_entity(facts, parents), kept, problems)


# --- rendering ---------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _topic(subject: str, metric: str, qualifier: str | None) -> str:
    return f"{subject} {metric_label(metric, qualifier)}"


def digest_subject(content: DigestContent, prefix: str) -> str:
    """``[veille] 2 conflicts, 5 updates: xAI GPU count, DeepSeek cost … (2025-01-28)``."""
    counts = []
    if content.conflicts:
        counts.append(_plural(len(content.conflicts), "conflict"))
    if content.updates:
        counts.append(_plural(len(content.updates), "update"))
    topics: list[str] = []
    for c in (*content.conflicts, *content.updates):
        topic = _topic(c.subject, c.metric, c.qualifier)
        if topic not in topics:
            topics.append(topic)
    if not counts and content.fact_count:
        counts.append(_plural(content.fact_count, "new fact"))
        topics = [e.name for e in content.entities]
    if not counts:
        counts.append(_plural(len(content.articles), "article") if content.articles else "no new article")
    head = ", ".join(counts)
    if topics:
        more = " …" if len(topics) > _SUBJECT_TOPICS else ""
        head += ": " + ", ".join(topics[:_SUBJECT_TOPICS]) + more
    return f"{prefix} {head} ({content.day.isoformat()})".strip()


def _loose(article: ArticleView) -> list[ClaimView]:
    """An article's figures that belong to no fact (no subject), each once."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for claim in article.claims:
        key = (claim.subject, claim.metric, format_value(claim), claim.qualifier)
        if claim.group_id is None and key not in seen:
            seen.add(key)
            out.append(claim)
    return out


def render_digest(content: DigestContent, settings: DigestSettings) -> Digest:
    """The digest as HTML (tables and inline styles, for mail clients) and plain text."""
    subject = digest_subject(content, settings.subject_prefix)
    claim_count = sum(len(a.claims) for a in content.articles)
    context = {
        "subject": subject,
        "c": content,
        "loose": {a.id: _loose(a) for a in content.articles},
        "claim_count": claim_count,
    }
    return Digest(
        day=content.day,
        subject=subject,
        html=_ENV.get_template("digest.html.j2").render(context),
        text=_ENV.get_template("digest.txt.j2").render(context),
        article_count=len(content.articles),
        claim_count=claim_count,
        content=content,
    )


def to_message(digest: Digest, settings: DigestSettings, *, now: dt.datetime | None = None) -> EmailMessage:
    """A multipart/alternative email: plain text first, HTML second."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients) if settings.recipients else "undisclosed-recipients:;"
    message["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))  # numeric zone: +0000
    message["Message-ID"] = make_msgid(idstring=f"digest.{digest.day.isoformat()}",
                                       domain=settings.sender.rpartition("@")[2] or "veille.invalid")
    if settings.list_unsubscribe:
        message["List-Unsubscribe"] = settings.list_unsubscribe
    message.set_content(digest.text)
    message.add_alternative(digest.html, subtype="html")
    return message


# --- delivery ----------------------------------------------------------------------------------


def check_recipients(settings: Settings) -> None:
    """SMTP delivery needs somebody to deliver to: never fall back to mailing the sender."""
    if settings.smtp.host and not settings.digest.recipients:
        raise ConfigError("digest.recipients", f"SMTP server {settings.smtp.host} is set but no recipient is")


def deliver(message: EmailMessage, settings: Settings) -> Delivery:
    """Send by SMTP when configured, else write ``<outbox>/digest-<stamp>-<id>.eml``."""
    check_recipients(settings)
    recipients = tuple(settings.digest.recipients)
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
    """The rendered digest of ``day`` (no delivery, nothing recorded)."""
    content = collect_digest(store, day, stale_after_days=settings.schedule.stale_after_days)
    return render_digest(content, settings.digest)


_CLAIMER = f"{socket.gethostname()}:{os.getpid()}"


def _abandoned(record: digest_store.DigestRecord, now: dt.datetime, smtp_timeout: float) -> bool:
    """Is the process that claimed this digest gone? On this host its pid tells at once;
    elsewhere, a claim older than the longest a send can take (a lease) is abandoned."""
    host, _, pid = (record.claimed_by or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        if int(pid) == os.getpid():
            return True  # this very process claimed it earlier and never marked it: a failed attempt
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    lease = dt.timedelta(seconds=60 + 4 * smtp_timeout)
    return record.claimed_at is None or now - record.claimed_at > lease


def send_digest(store: Store, day: dt.date, settings: Settings, *, force: bool = False) -> DigestOutcome:
    """Claim, deliver and mark the digest of ``day``: exactly once per day and recipient list
    (``force`` sends again). A claim left by a process that died before marking it is sent
    again, once, and the log says so."""
    check_recipients(settings)
    recipients = tuple(settings.digest.recipients)
    now = dt.datetime.now(dt.UTC)
    claim = digest_store.claim_digest(store, day, recipients, now=now, claimer=_CLAIMER, force=force,
                                      abandoned=lambda r: _abandoned(r, now, settings.smtp.timeout))
    if claim.state == "sent":
        log.info("digest for %s already sent at %s (%s); nothing to do", day,
                 claim.record.sent_at.isoformat() if claim.record.sent_at else "?", claim.record.delivered_via)
        return DigestOutcome("sent", claim.record)
    if claim.state == "busy":
        log.info("digest for %s is being sent by %s (claimed at %s); nothing to do", day, claim.record.claimed_by,
                 claim.record.claimed_at.isoformat() if claim.record.claimed_at else "?")
        return DigestOutcome("busy", claim.record)
    if claim.state == "retry":
        log.warning("digest for %s was claimed at %s but never confirmed sent (attempt %d): sending it again; "
                    "recipients may get it twice", day,
                    claim.record.claimed_at.isoformat() if claim.record.claimed_at else "?", claim.record.attempts)
    digest = build_digest(store, day, settings)
    try:
        delivery = deliver(to_message(digest, settings.digest, now=now), settings)
    except DeliveryError:
        if claim.state in ("new", "forced"):
            digest_store.release_claim(store, day, recipients)  # refused for certain: nothing went out
        raise
    record = digest_store.mark_sent(
        store, day, recipients, sent_at=dt.datetime.now(dt.UTC), delivered_via=delivery.via,
        message_id=delivery.message_id, article_count=digest.article_count,
    )
    return DigestOutcome(claim.state, record, delivery)


def due_digest_day(now: dt.datetime, digest_hour: int) -> dt.date:
    """The day whose digest is due at ``now``: yesterday once ``digest_hour`` (UTC) has passed,
    else the day before (its hour passed yesterday)."""
    today = now.astimezone(dt.UTC).date()
    return today - dt.timedelta(days=1 if now.astimezone(dt.UTC).hour >= digest_hour else 2)


def send_daily_digest(
    settings: Settings, store: Store, *, now: dt.datetime | None = None, catch_up: bool = False
) -> DigestOutcome | None:
    """The scheduler's job, also run at start-up (``catch_up``): the digest due now, unless
    already sent, so a restart that skipped ``schedule.digest_hour`` still sends it. A catch-up
    skips a day the store has nothing for (a daemon started for the first time)."""
    day = due_digest_day(now or dt.datetime.now(dt.UTC), settings.schedule.digest_hour)
    if catch_up and digest_store.digest_for(store, day, settings.digest.recipients) is None:
        content = collect_digest(store, day)
        if not content.articles and not content.conflicts and not content.updates:
            log.info("digest catch-up: nothing stored for %s, nothing to send", day)
            return None
    return send_digest(store, day, settings)
