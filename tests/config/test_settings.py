"""Settings: defaults, user file, environment overrides, one-line errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import DEFAULT_CONFIG, Settings, load_settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "veille.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_ship_a_real_feed_list_in_both_languages() -> None:
    settings = load_settings()
    assert settings.database.url == "sqlite:///var/veille.sqlite3"
    langs = [f.lang for f in settings.feeds]
    assert langs.count("fr") >= 10 and langs.count("en") >= 10
    assert len({f.url for f in settings.feeds}) == len(settings.feeds)
    assert Path(settings.entities_file).is_file()


def test_user_file_overrides_defaults_and_replaces_the_feed_list(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[database]
url = "sqlite:///tmp/x.sqlite3"
[fetch]
max_workers = 3
[[feeds]]
url = "https://example.org/feed.xml"
lang = "en"
""")
    settings = load_settings(path)
    assert settings.database.url == "sqlite:///tmp/x.sqlite3"
    assert settings.fetch.max_workers == 3
    assert settings.fetch.max_redirects == 5  # untouched default
    assert [f.url for f in settings.feeds] == ["https://example.org/feed.xml"]


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '[database]\nurl = "sqlite:///a.sqlite3"\n')
    settings = load_settings(path, {
        "VEILLE_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/test",
        "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1",
        "VEILLE_SMTP_PORT": "2525",
        "VEILLE_DIGEST_RECIPIENTS": "a@example.org, b@example.org",
    })
    assert settings.database.url.startswith("postgresql+psycopg://")
    assert settings.fetch.allow_private_addresses is True
    assert settings.smtp.port == 2525
    assert settings.digest.recipients == ("a@example.org", "b@example.org")


def test_veille_config_variable_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[nlp]\nbatch_size = 2\n")
    assert load_settings(None, {"VEILLE_CONFIG": str(path)}).nlp.batch_size == 2


@pytest.mark.parametrize(
    ("text", "env", "key"),
    [
        ("[fetch]\nmax_workers = \"many\"\n", {}, "fetch.max_workers"),
        ("[fetch]\nmax_wrokers = 2\n", {}, "fetch.max_wrokers"),
        ("[database]\nurl = \"nowhere\"\n", {}, "database.url"),
        ("[[feeds]]\nname = \"no url\"\n", {}, "feeds[0].url"),
        ("[[feeds]]\nurl = \"ftp://x.org/feed\"\n", {}, "feeds[0].url"),
        ("[[feeds]]\nurl = \"https://x.org/feed\"\nlang = \"de\"\n", {}, "feeds[0].lang"),
        ("[summary]\nbackend = \"transformers\"\n", {}, "summary.model_dir"),
        ("[schedule]\nmin_interval_minutes = 500\n", {}, "schedule.min_interval_minutes"),
        ("", {"VEILLE_FETCH_ALLOW_PRIVATE_ADDRESSES": "perhaps"}, "fetch.allow_private_addresses"),
        ("this is = = not toml", {}, "veille.toml"),
    ],
)
def test_a_wrong_setting_names_its_key(tmp_path: Path, text: str, env: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(_write(tmp_path, text), env)
    assert key in info.value.key
    assert "\n" not in str(info.value)


def test_missing_config_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "absent.toml")


def test_redacted_masks_secrets() -> None:
    settings = load_settings(None, {
        "VEILLE_SMTP_PASSWORD": "hunter2",
        "VEILLE_DATABASE_URL": "postgresql+psycopg://veille:s3cret@db.example.org/veille",
    })
    dumped = str(settings.redacted())
    assert "hunter2" not in dumped and "s3cret" not in dumped
    assert "veille:***@db.example.org" in dumped


def test_every_setting_has_a_default_in_default_toml() -> None:
    import dataclasses
    import tomllib

    shipped = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    for section in dataclasses.fields(Settings):
        if section.name in ("feeds", "entities_file"):
            continue
        declared = {f.name for f in dataclasses.fields(getattr(Settings(), section.name))}
        assert set(shipped[section.name]) == declared, section.name


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"VEILLE_DATABASE_URL": "nowhere"}, "database.url: not a database URL: 'nowhere'"),
        ({"VEILLE_FETCH_MAX_WORKERS": "0"}, "fetch.max_workers: must be positive, got 0"),
        ({"VEILLE_FETCH_CONNECT_TIMEOUT": "-1"}, "fetch.connect_timeout: must be positive, got -1.0"),
        ({"VEILLE_NLP_PROCESSES": "-1"}, "nlp.processes: must be 0 (one per core) or more, got -1"),
        ({"VEILLE_SCHEDULE_JITTER_FRACTION": "1"}, "schedule.jitter_fraction: must be in [0, 1)"),
        ({"VEILLE_SCHEDULE_DIGEST_HOUR": "24"}, "schedule.digest_hour: must be an hour 0..23"),
        ({"VEILLE_QUEUE_BACKEND": "celery"}, "queue.backend: must be 'none' or 'procrastinate', got 'celery'"),
        ({"VEILLE_QUEUE_BACKEND": "procrastinate"}, "queue.backend: 'procrastinate' needs a PostgreSQL database.url"),
        ({"VEILLE_QUEUE_HEARTBEAT_TIMEOUT_SECONDS": "0"}, "queue.heartbeat_timeout_seconds: must be positive, got 0.0"),
        ({"VEILLE_SUMMARY_BACKEND": "gpt"}, "summary.backend: must be 'extractive' or 'transformers', got 'gpt'"),
        ({"VEILLE_CLAIMS_CONTRADICTION_TOLERANCE": "1.5"}, "claims.contradiction_tolerance: must be in [0, 1)"),
        ({"VEILLE_SCHEDULE_MIN_INTERVAL_MINUTES": "500"}, "schedule.min_interval_minutes: is above schedule.max_interval_minutes"),
    ],
)
def test_a_value_failing_its_check_is_one_line_naming_the_key(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(None, env)
    assert str(info.value).endswith(message), str(info.value)
