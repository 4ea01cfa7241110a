"""spaCy pipelines, loaded once per model name per process, with only the components we use.

Claims need sentences and the dependency parse (``parser``, which also splits sentences) and
names the alias table lacks (``ner``); both listen to ``tok2vec``. The tagger/morphologizer,
attribute ruler and lemmatizer are excluded: nothing downstream reads POS tags or lemmas, and
excluding them saves about a third of the pipeline time.
"""

from __future__ import annotations

import threading

import spacy
from spacy.language import Language

from config.errors import ConfigError

KEEP = ("tok2vec", "parser", "ner")
_MODELS: dict[str, Language] = {}
_LOCK = threading.Lock()


def load_model(name: str, setting: str = "nlp model") -> Language:
    """The pipeline ``name`` with only :data:`KEEP` components; loaded on first use, then cached."""
    with _LOCK:
        model = _MODELS.get(name)
        if model is None:
            try:
                info = spacy.info(name)
                components = info.get("pipeline", []) if isinstance(info, dict) else []
                exclude = [c for c in components if c not in KEEP]
                model = spacy.load(name, exclude=exclude)
            except (OSError, ImportError) as exc:
                raise ConfigError(setting, f"cannot load spaCy model {name!r}: {exc}") from None
            _MODELS[name] = model
        return model
