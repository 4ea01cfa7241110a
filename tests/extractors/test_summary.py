"""Summaries: the extractive default and the transformers backend on a tiny random model."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import SummarySettings
from extractors.claims import Claim
from extractors.summary import split_sentences, summarize

TEXT = (
    "Elon Musk multiplie les annonces spectaculaires dans le domaine de l’intelligence "
    "artificielle. Il ambitionne désormais de disposer de l’équivalent de 50 millions de GPU "
    "H100 sur cinq ans. Cette stratégie colossale vise à positionner xAI face à OpenAI. "
    "Les investisseurs y voient à la fois une opportunité et un risque."
)


def _claim(sentence: str, start: int) -> Claim:
    return Claim(
        subject="xAI", metric="gpu_count", value_low=5e7, value_high=5e7, unit="GPU",
        qualifier="H100", hedge=None, time=None, speaker=None, probability=None,
        sentence=sentence, start=start, end=start + 10, lang="fr",
    )


def test_split_sentences_keeps_french_punctuation_and_numbers() -> None:
    sentences = split_sentences(TEXT)
    assert len(sentences) == 4
    assert sentences[1].startswith("Il ambitionne") and "50 millions" in sentences[1]


def test_extractive_summary_is_lead_plus_claim_sentences() -> None:
    claim_sentence = split_sentences(TEXT)[1]
    summary = summarize(TEXT, [_claim(claim_sentence, TEXT.index("50 millions"))], SummarySettings())
    assert summary.startswith("Elon Musk multiplie")
    assert "50 millions de GPU H100" in summary
    assert "investisseurs" not in summary  # neither lead nor a claim sentence


def test_extractive_summary_respects_word_budget() -> None:
    settings = SummarySettings(max_words=15)
    claim_sentence = split_sentences(TEXT)[1]
    summary = summarize(TEXT, [_claim(claim_sentence, 90)], settings)
    assert len(summary.split()) == 15
    assert summary.endswith("…")


def test_extractive_summary_without_claims_is_the_lead() -> None:
    assert summarize(TEXT, [], SummarySettings()) == split_sentences(TEXT)[0]


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random 1-layer BART and a word-level tokenizer, built from configs, nothing downloaded."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast

    words = sorted(set(TEXT.lower().replace(".", " ").split()))
    vocab = {tok: i for i, tok in enumerate(["<pad>", "<s>", "</s>", "<unk>", *words])}
    raw = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    raw.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=raw, pad_token="<pad>", bos_token="<s>", eos_token="</s>",
        unk_token="<unk>", model_max_length=64,
    )
    config = BartConfig(
        vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
        decoder_ffn_dim=32, max_position_embeddings=128, pad_token_id=0, bos_token_id=1,
        eos_token_id=2, decoder_start_token_id=2, forced_eos_token_id=None,
    )
    model = BartForConditionalGeneration(config)
    path = tmp_path_factory.mktemp("tiny-bart")
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def test_transformers_backend_generates_from_local_directory(tiny_model_dir: Path) -> None:
    settings = SummarySettings(backend="transformers", model_dir=str(tiny_model_dir), max_new_tokens=8)
    first = summarize(TEXT, [], settings)
    assert isinstance(first, str)
    # greedy decoding: the same input gives the same output, bounded by max_new_tokens
    assert summarize(TEXT, [], settings) == first
    assert len(first.split()) <= 8
    vocabulary = set(TEXT.lower().replace(".", " ").split())
    assert set(first.split()) <= vocabulary


def test_transformers_backend_refuses_a_directory_without_model(tmp_path: Path) -> None:
    settings = dataclasses.replace(SummarySettings(), backend="transformers", model_dir=str(tmp_path))
    with pytest.raises(ConfigError, match="summary.model_dir"):
        summarize(TEXT, [], settings)


def test_the_title_repeated_as_the_first_line_is_not_the_lead() -> None:
    title = "Elon Musk veut 50 millions de GPU H100"
    summary = summarize(f"{title}\n{TEXT}", [], SummarySettings(), title=title)
    assert summary == split_sentences(TEXT)[0]
