"""The digest: what it says (conflicts, updates, facts by entity, articles), how the mail is
built, and that a day goes out exactly once, against a real SMTP server (aiosmtpd), real
databases and a real ingest of the fixture site."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import os
import re
import signal
import subprocess
import sys
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest

from config.errors import ConfigError
from config.settings import DigestSettings, Settings, SmtpSettings, load_settings
from extractors.claims import ClaimExtractor
from extractors.values import modality_note
from pipeline.atom import render_contradiction_feed
from pipeline.digest import (
    DeliveryError,
    DigestContent,
    build_digest,
    collect_digest,
    deliver,
    digest_subject,
    due_digest_day,
    group_by_entity,
    render_digest,
    send_daily_digest,
    send_digest,
    to_message,
)
from pipeline.run import prepare, run_once
from storage.db import Store
from storage.digests import digest_for
from storage.groups import ClaimGroupView, SourceView
from tests.support.http import HttpServer
from tests.support.smtp import SmtpServer

ROOT = Path(__file__).resolve().parent.parent.parent
SITE = ROOT / "tests" / "fixtures" / "site"
T0 = dt.datetime(2025, 1, 28, 9, tzinfo=dt.UTC)


def _source(url: str, site: str, modality: str = "stated", speaker: str | None = None) -> SourceView:
    return SourceView(article_id=1, url=url, title=f"<b>{site}</b>", site_name=site, published_at=T0,
                      sentence="…", duplicate_of=None, modality=modality, speaker=speaker)


def _fact(gid: int, subject: str, metric: str = "gpu_count", value: float = 1e5, **kw: object) -> ClaimGroupView:
    values: dict[str, object] = dict(
        id=gid, subject=subject, metric=metric, qualifier=None, is_plan=False, value_low=value,
        value_high=value, unit="GPU", hedge=None, time=None, first_seen_at=T0, last_seen_at=T0,
        mention_count=1, source_count=1, sources=(_source(f"https://a.example/{gid}", "Ledger"),),
    )
    values.update(kw)
    return ClaimGroupView(**values)  # type: ignore[arg-type]


# --- pure parts ---------------------------------------------------------------------------------


def test_parts_sit_under_their_whole_and_busiest_entity_first() -> None:
    facts = [_fact(1, "Colossus"), _fact(2, "xAI", "funding", 6e9, unit="USD"), _fact(3, "Meta"),
             _fact(4, "Grok 3", "parameter_count", 3e11, unit="parameter"), _fact(5, "Mistral Compute")]
    parents = {"Colossus": "xAI", "Grok 3": "xAI", "Mistral Compute": "Mistral AI"}
    entities = group_by_entity(facts, parents)
    assert [e.name for e in entities] == ["xAI", "Meta", "Mistral AI"]
    assert [f.id for f in entities[0].facts] == [2]
    assert [(p.name, [f.id for f in p.facts]) for p in entities[0].parts] == [("Colossus", [1]), ("Grok 3", [4])]
    assert entities[2].facts == () and entities[2].parts[0].name == "Mistral Compute"  # whole with no fact today
    assert entities[0].fact_count == 3


def test_subject_says_what_happened() -> None:
    content = DigestContent(day=dt.date(2025, 1, 28), entities=group_by_entity([_fact(1, "Meta")], {}))
    assert digest_subject(content, "[veille]") == "[veille] 1 new fact: Meta (2025-01-28)"
    assert digest_subject(DigestContent(day=dt.date(2025, 1, 28)), "[veille]") == \
        "[veille] no new article (2025-01-28)"


def test_modality_notes() -> None:
    assert modality_note("reported", "Reuters") == "reported by Reuters"
    assert modality_note("reported", None) == "reported, unverified"
    assert modality_note("stated", None) == ""
    assert modality_note("stated", "Jensen Huang") == "stated by Jensen Huang"
    assert modality_note("denied", "OpenAI") == "denied by OpenAI"
    assert modality_note("hypothetical", None) == "hypothetical"


def test_rendered_facts_show_every_source_with_modality_and_escape_titles() -> None:
    fact = _fact(1, "Meta", sources=(
        _source("https://a.example/1", "Ledger <script>alert(1)</script>", "reported", "Reuters"),
        _source("https://b.example/2", "Desk", "plan"),
    ))
    digest = render_digest(DigestContent(day=dt.date(2025, 1, 28), entities=group_by_entity([fact], {})),
                           DigestSettings())
    assert "<script>" not in digest.html and "&lt;script&gt;" in digest.html
    for part in (digest.html, digest.text):
        assert "reported by Reuters" in part and "plan" in part
        assert "https://a.example/1" in part and "https://b.example/2" in part
        assert "100,000 GPU" in part
    assert digest.html.count("100,000 GPU") == 1  # one fact, shown once with both sources


def test_message_headers(tmp_path: Path) -> None:
    settings = DigestSettings(sender="veille@news.example.org", recipients=("a@x.org", "b@y.org"))
    digest = render_digest(DigestContent(day=dt.date(2025, 1, 28)), settings)
    message = to_message(digest, settings, now=T0)
    assert message["To"] == "a@x.org, b@y.org"
    assert message["Date"].endswith("+0000") and parsedate_to_datetime(message["Date"]) == T0
    assert message["Message-ID"].endswith("@news.example.org>")
    assert message["List-Unsubscribe"] is None
    with_unsub = dataclasses.replace(settings, list_unsubscribe="<mailto:leave@news.example.org>")
    assert to_message(digest, with_unsub, now=T0)["List-Unsubscribe"] == "<mailto:leave@news.example.org>"
    nobody = to_message(digest, DigestSettings(), now=T0)
    assert nobody["To"] == "undisclosed-recipients:;"  # the outbox without recipients: never the sender


def test_due_day_after_and_before_the_digest_hour() -> None:
    assert due_digest_day(dt.datetime(2025, 1, 29, 8, tzinfo=dt.UTC), 7) == dt.date(2025, 1, 28)
    assert due_digest_day(dt.datetime(2025, 1, 29, 6, tzinfo=dt.UTC), 7) == dt.date(2025, 1, 27)


def test_smtp_without_recipient_is_a_one_line_error() -> None:
    settings = dataclasses.replace(Settings(), smtp=SmtpSettings(host="127.0.0.1", port=2525))
    with pytest.raises(ConfigError, match="digest.recipients") as info:
        deliver(EmailMessage(), settings)
    assert "\n" not in str(info.value)


def test_unreachable_smtp_is_one_line_error() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = dataclasses.replace(Settings(), smtp=SmtpSettings(host="127.0.0.1", port=port, timeout=2),
                                   digest=DigestSettings(recipients=("a@x.org",)))
    digest = render_digest(DigestContent(day=dt.date(2025, 1, 28)), settings.digest)
    with pytest.raises(DeliveryError, match=f"SMTP 127.0.0.1:{port}") as info:
        deliver(to_message(digest, settings.digest), settings)
    assert "\n" not in str(info.value)


# --- on a real ingest ---------------------------------------------------------------------------


def _ingest(http: HttpServer, db: Store, extractor: ClaimExtractor, **env: str) -> Settings:
    http.serve_dir("/site", SITE)
    settings = load_settings(None, {
        "VEILLE_DATABASE_URL": db.url, "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1", "VEILLE_FETCH_PER_HOST_DELAY": "0",
        **env,
    }).with_feeds([http.url("/site/feed-all.xml"), http.url("/site/feed-meta.xml")])
    prepare(settings, db)
    report = run_once(settings, db, extractor)
    assert report.articles_new == 8, report.errors
    return settings


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def test_digest_of_an_ingest_orders_by_importance_and_links_every_side(
    http: HttpServer, db: Store, extractor: ClaimExtractor, tmp_path: Path
) -> None:
    settings = _ingest(http, db, extractor)
    content = collect_digest(db, _today())
    assert content.conflicts and all(c.kind == "conflict" for c in content.conflicts)
    assert content.updates and all(c.kind == "update" for c in content.updates)
    assert len(content.articles) == 8 and content.fact_count > 5
    digest = build_digest(db, _today(), settings)
    html, text = digest.html, digest.text
    first = content.conflicts[0]
    assert digest.subject.startswith(f"[veille] {len(content.conflicts)} conflict")
    assert digest.subject.split(": ", 1)[1].startswith(f"{first.subject} ")  # the most important conflict first
    # conflicts, then updates, then facts, then articles
    order = [html.index(h) for h in ("Conflicts: sources disagree", "Updates: a figure changed", "New facts", "Articles")]
    assert order == sorted(order)
    # every contradiction links to both sides' sources, in both parts
    for c in (*content.conflicts, *content.updates):
        for side in (c.a, c.b):
            assert side.sources
            for s in side.sources:
                assert f'href="{s.url}"' in html and s.url in text
    # a fact is shown once, however many articles repeat it
    shown = [g.id for e in content.entities for g in (*e.facts, *(f for p in e.parts for f in p.facts))]
    assert len(shown) == len(set(shown))
    # each article carries its language; no script, no external image
    assert '<div lang="fr"' in html and '<div lang="en"' in html
    assert "<script" not in html and "<img" not in html
    # the DeepSeek summary starts with the text, not with page chrome
    deepseek = next(a for a in content.articles if "deepseek" in a.url)
    assert deepseek.summary and not deepseek.summary.startswith("date") and "Lecture Zen" not in deepseek.summary


def test_digest_goes_out_exactly_once_by_smtp(
    http: HttpServer, db: Store, extractor: ClaimExtractor, smtp_server: SmtpServer
) -> None:
    settings = _ingest(http, db, extractor, VEILLE_SMTP_HOST=smtp_server.host, VEILLE_SMTP_PORT=str(smtp_server.port),
                       VEILLE_DIGEST_RECIPIENTS="analyst@example.org,desk@example.org",
                       VEILLE_DIGEST_SENDER="veille@news.example.org")
    first = send_digest(db, _today(), settings)
    assert first.state == "new" and first.delivery is not None and first.delivery.via == "smtp"
    assert send_digest(db, _today(), settings).state == "sent"  # a second call is a no-op
    [(sender, recipients, message)] = smtp_server.messages
    assert sender == "veille@news.example.org" and recipients == ["analyst@example.org", "desk@example.org"]
    assert message["To"] == "analyst@example.org, desk@example.org"
    assert message["Date"].endswith("+0000") and message["Message-ID"].endswith("@news.example.org>")
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    urls = set(re.findall(r'href="([^"]+)"', html.get_content()))
    assert urls and all(u in plain.get_content() for u in urls)  # the text part says the same
    forced = send_digest(db, _today(), settings, force=True)
    assert forced.state == "forced" and len(smtp_server.messages) == 2


def test_a_crash_between_send_and_mark_resends_once(
    http: HttpServer, db: Store, extractor: ClaimExtractor, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    env = {"VEILLE_SMTP_HOST": smtp_server.host, "VEILLE_SMTP_PORT": str(smtp_server.port),
           "VEILLE_DIGEST_RECIPIENTS": "analyst@example.org"}
    _ingest(http, db, extractor, **env)
    run_env = {**os.environ, "VEILLE_DATABASE_URL": db.url, **env}
    command = [sys.executable, "-m", "pipeline.cli", "digest", "--date", _today().isoformat()]
    proc = subprocess.Popen(command, cwd=ROOT, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    smtp_server.inbox.on_message = lambda: os.kill(proc.pid, signal.SIGKILL)  # accepted, never marked
    try:
        proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL and len(smtp_server.messages) == 1
    record = digest_for(db, _today(), ("analyst@example.org",))
    assert record is not None and record.status == "sending"
    smtp_server.inbox.on_message = None
    second = subprocess.run(command, cwd=ROOT, env=run_env, capture_output=True, timeout=120)
    assert second.returncode == 0, second.stderr.decode()
    assert "again" in second.stdout.decode() and "never confirmed" in second.stderr.decode()
    third = subprocess.run(command, cwd=ROOT, env=run_env, capture_output=True, timeout=120)
    assert third.returncode == 0 and "already sent" in third.stdout.decode()
    assert len(smtp_server.messages) == 2  # the crash cost one duplicate, never a lost digest


def test_daemon_catch_up_sends_the_missed_day_once(
    http: HttpServer, db: Store, extractor: ClaimExtractor, tmp_path: Path
) -> None:
    settings = _ingest(http, db, extractor, VEILLE_DIGEST_OUTBOX_DIR=str(tmp_path / "outbox"))
    tomorrow_9am = dt.datetime.combine(_today() + dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC)
    first = send_daily_digest(settings, db, now=tomorrow_9am, catch_up=True)
    assert first is not None and first.state == "new"
    again = send_daily_digest(settings, db, now=tomorrow_9am, catch_up=True)  # restarted again
    assert again is not None and again.state == "sent"
    empty_day = send_daily_digest(settings, db, now=tomorrow_9am + dt.timedelta(days=5), catch_up=True)
    assert empty_day is None  # nothing stored that day: a first start mails nothing
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_contradiction_feed_is_valid_atom(http: HttpServer, db: Store, extractor: ClaimExtractor) -> None:
    _ingest(http, db, extractor)
    content = collect_digest(db, _today())
    items = (*content.conflicts, *content.updates)
    parsed = feedparser.parse(render_contradiction_feed(items, updated=T0))
    assert not parsed.bozo, parsed.bozo_exception
    assert len(parsed.entries) == len(items)
    assert parsed.entries[0].title.startswith(f"{items[0].kind}: {items[0].subject} ")


def test_digest_renders_in_chromium(http: HttpServer, db: Store, extractor: ClaimExtractor, tmp_path: Path) -> None:
    from tests.support.render import screenshot_html

    settings = _ingest(http, db, extractor)
    digest = build_digest(db, _today(), settings)
    first = collect_digest(db, _today()).conflicts[0]
    png, body_text = screenshot_html(digest.html, tmp_path / "digest.png", width=760)
    assert png.stat().st_size > 20_000
    with png.open("rb") as handle:
        header = handle.read(24)
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert width == 760 and height > 600
    assert first.explanation in " ".join(body_text.split())


def _message(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_outbox_digest_is_addressed_to_the_recipients(
    http: HttpServer, db: Store, extractor: ClaimExtractor, tmp_path: Path
) -> None:
    settings = _ingest(http, db, extractor, VEILLE_DIGEST_OUTBOX_DIR=str(tmp_path / "outbox"),
                       VEILLE_DIGEST_RECIPIENTS="desk@example.org")
    outcome = send_digest(db, _today(), settings)
    assert outcome.delivery is not None and outcome.delivery.path is not None
    message = _message(outcome.delivery.path.read_bytes())
    assert message["To"] == "desk@example.org"
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None
