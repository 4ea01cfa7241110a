"""The digest: rendering, and delivery to a real SMTP server or the outbox."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from config.settings import DigestSettings, Settings, SmtpSettings
from pipeline.digest import DeliveryError, deliver, render_digest, to_message
from storage.db import Store
from tests.support.smtp import SmtpServer


@dataclass(frozen=True)
class _Claim:
    subject: str | None
    metric: str
    value_low: float | None
    value_high: float | None
    unit: str | None
    hedge: str | None
    sentence: str


@dataclass(frozen=True)
class _Article:
    url: str
    title: str | None
    site_name: str | None
    published_at: dt.datetime | None
    lang: str
    summary: str | None
    claims: tuple[_Claim, ...]


ARTICLES = [
    _Article(
        url="https://example.fr/deepseek", title="DeepSeek R1 <le moment Spoutnik>", site_name="Numerama",
        published_at=dt.datetime(2025, 1, 28, tzinfo=dt.UTC), lang="fr",
        summary="DeepSeek R1 n’aurait requis que 5 ou 6 millions de dollars.",
        claims=(
            _Claim("DeepSeek R1", "cost", 5e6, 6e6, "USD", "range", "DeepSeek R1 n’aurait requis « que » 5 ou 6 millions de dollars."),
            _Claim("Amazon", "investment", 75e9, None, "USD", "at_least", "Amazon plus de 75 milliards."),
        ),
    ),
    _Article(
        url="https://example.com/xai", title="xAI doubles Colossus", site_name=None, published_at=None,
        lang="en", summary=None, claims=(),
    ),
]


def test_render_has_every_article_claim_and_escapes_html() -> None:
    digest = render_digest(dt.date(2025, 1, 28), ARTICLES, DigestSettings())
    assert digest.article_count == 2 and digest.claim_count == 2
    assert "2025-01-28" in digest.subject
    assert "$5–6 million" in digest.html and "≥ $75 billion" in digest.html
    assert "&lt;le moment Spoutnik&gt;" in digest.html  # titles are escaped in HTML
    assert "<le moment Spoutnik>" in digest.text  # and verbatim in plain text
    assert "https://example.com/xai" in digest.text
    assert "DeepSeek R1 · cost · $5–6 million" in digest.text


def test_a_figure_repeated_in_headline_and_body_is_listed_once() -> None:
    claim = ARTICLES[0].claims[0]
    article = dataclasses.replace(ARTICLES[0], claims=(claim, claim, ARTICLES[0].claims[1]))
    digest = render_digest(dt.date(2025, 1, 28), [article], DigestSettings())
    assert digest.text.count("DeepSeek R1 · cost · $5–6 million") == 1
    assert digest.html.count("$5–6 million") == 1


def test_render_of_an_empty_day_says_so() -> None:
    digest = render_digest(dt.date(2025, 1, 29), [], DigestSettings())
    assert "No new article today." in digest.text and "No new article today." in digest.html


def _settings(**changes: object) -> Settings:
    return dataclasses.replace(Settings(), **changes)  # type: ignore[arg-type]


def test_deliver_by_smtp_sends_text_and_html_parts(smtp_server: SmtpServer) -> None:
    digest_settings = DigestSettings(sender="veille@example.org", recipients=("analyst@example.org", "desk@example.org"))
    settings = _settings(
        smtp=SmtpSettings(host=smtp_server.host, port=smtp_server.port, timeout=5),
        digest=digest_settings,
    )
    digest = render_digest(dt.date(2025, 1, 28), ARTICLES, digest_settings)
    delivery = deliver(to_message(digest, digest_settings), settings)
    assert delivery.via == "smtp"
    [(sender, recipients, message)] = smtp_server.messages
    assert sender == "veille@example.org"
    assert recipients == ["analyst@example.org", "desk@example.org"]
    assert message["Subject"] == digest.subject
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and "$5–6 million" in plain.get_content()
    assert html is not None and "<table>" in html.get_content()


def test_deliver_without_smtp_writes_the_outbox(tmp_path: Path) -> None:
    digest_settings = DigestSettings(outbox_dir=str(tmp_path / "outbox"))
    settings = _settings(digest=digest_settings)
    digest = render_digest(dt.date(2025, 1, 28), ARTICLES, digest_settings)
    delivery = deliver(to_message(digest, digest_settings), settings)
    assert delivery.via == "outbox" and delivery.path is not None
    assert delivery.path.parent == tmp_path / "outbox"
    raw = delivery.path.read_bytes()
    assert b"multipart/alternative" in raw and digest.subject.encode() in raw


def test_unreachable_smtp_is_one_line_error() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = _settings(smtp=SmtpSettings(host="127.0.0.1", port=port, timeout=2))
    digest = render_digest(dt.date(2025, 1, 28), ARTICLES, settings.digest)
    with pytest.raises(DeliveryError, match=f"SMTP 127.0.0.1:{port}") as info:
        deliver(to_message(digest, settings.digest), settings)
    assert "\n" not in str(info.value)


@dataclass(frozen=True)
class _Contradiction:
    kind: str
    explanation: str


def test_render_lists_contradictions_first() -> None:
    found = [_Contradiction("conflict", "Meta GPU count: ~600,000 (2025-01-24, A) vs ~350,000 (2025-01-25, B): sources disagree")]
    digest = render_digest(dt.date(2025, 1, 28), ARTICLES, DigestSettings(), contradictions=found)
    assert "1 contradiction" in digest.text and "conflict: Meta GPU count" in digest.text
    assert digest.html.index("Contradictions") < digest.html.index("DeepSeek R1 &lt;le moment")


def test_the_daily_job_sends_yesterday_once(db: Store, tmp_path: Path) -> None:
    from pipeline.digest import send_daily_digest
    from storage.digests import digest_for

    settings = dataclasses.replace(
        Settings(), digest=DigestSettings(outbox_dir=str(tmp_path / "outbox"), recipients=("desk@example.org",))
    )
    today = dt.date(2025, 1, 29)
    first = send_daily_digest(settings, db, today=today)
    assert first is not None and first.via == "outbox"
    assert send_daily_digest(settings, db, today=today) is None  # a restarted daemon does not mail twice
    record = digest_for(db, dt.date(2025, 1, 28))
    assert record is not None and record.recipients == ("desk@example.org",)
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
