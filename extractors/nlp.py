"""spaCy pipelines, loaded once per model name per process, with only the components we use.

Claims need sentences and the dependency parse (``parser``, which also splits sentences) and
names the alias table lacks (``ner``); both listen to ``tok2vec``. The French ``morphologizer``
gives the mood (``Mood=Cnd``) that marks the journalistic conditional (:mod:`extractors.modality`);
it shares ``tok2vec`` and costs a few percent. The tagger, attribute ruler and lemmatizer are
excluded: nothing downstream reads lemmas, and excluding them saves about a third of the
pipeline time.
"""

from __future__ import annotations

import re
import threading

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from config.errors import ConfigError

KEEP = ("tok2vec", "morphologizer", "parser", "ner")
LINE_BREAKS = "veille_line_breaks"
_NEVER_FIRST = frozenset({",", ";", ")", "]"})
_ENDS = frozenset(".!?…:;»”\")]")
# a figure or a name with digits that the tokenizer keeps with the full stop after it ("M€.",
# "Md$.", "6.6B.", "70B."), as it keeps an abbreviation's: the parser then runs the next sentence
# on, so the stop ends the sentence here
_AMOUNT_THEN_STOP = re.compile(r"^(?=\S*[\d€$£])\S+\.$")


@Language.component(LINE_BREAKS)
def _line_breaks(doc: Doc) -> Doc:
    """A line break starts a sentence: page text puts headlines, captions and list items on
    their own lines without final punctuation, and the parser would glue them to the next
    sentence. The parser keeps boundaries set before it. A comma, semicolon or closing bracket
    is never a sentence's first token, and within a line a sentence starts only after final
    punctuation: the small parsers, the French one most, otherwise end sentences in mid-clause
    (« Dario » | « Amodei prévoit … », « La startup américaine » | « Anthropic, spécialisée … »;
    a third of the French pages' boundaries), which cuts a figure off from its subject and its
    speaker."""
    for token in doc[1:]:
        if token.text in _NEVER_FIRST:
            token.is_sent_start = False
            continue
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if following is not None and not (following.is_space or following.is_punct):
                following.is_sent_start = False  # a line's first word is never a sentence alone
        elif token.text[:1].isupper() and _AMOUNT_THEN_STOP.match(previous.text):
            token.is_sent_start = True  # "… soit 5,4 M€. Un chiffre contesté", "raised $6.6B. Meta …"
        elif token.is_sent_start is None and not token.is_space and not _may_end(doc, token.i - 1):
            token.is_sent_start = False
    return doc


def _may_end(doc: Doc, i: int) -> bool:
    """Whether a sentence may end after token ``i`` (spaces skipped): only after final punctuation."""
    while i >= 0 and doc[i].is_space:
        if "\n" in doc[i].text:
            return True
        i -= 1
    return i >= 0 and doc[i].text[-1:] in _ENDS


_MODELS: dict[str, Language] = {}
_LOCK = threading.Lock()


def load_model(name: str, setting: str = "nlp model") -> Language:
    """The pipeline ``name`` with only :data:`KEEP` components; loaded on first use, then cached."""
    with _LOCK:
        model = _MODELS.get(name)
        if model is None:
            try:
                info = spacy.info(name)  # type: ignore[attr-defined]  # public, not re-exported
                components = info.get("pipeline", []) if isinstance(info, dict) else []
                exclude = [c for c in components if c not in KEEP]
                model = spacy.load(name, exclude=exclude)
                if "parser" in model.pipe_names:
                    model.add_pipe(LINE_BREAKS, before="parser")
            except (OSError, ImportError) as exc:
                raise ConfigError(setting, f"cannot load spaCy model {name!r}: {exc}") from None
            _MODELS[name] = model
        return model
