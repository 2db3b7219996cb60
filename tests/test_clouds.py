from authorstats.analysis import words
from authorstats.render import clouds
from authorstats.shell.config_files import load_stopwords

STOP = load_stopwords()


def test_plurals_fold_into_one_word():
    # "model" is filler by default; with it allowed, Model and Models count as one word
    allowed = STOP - {"model"}
    freqs = words.word_frequencies(["Generative Models", "A Model of Models", "Energy-Based Model"], allowed)
    assert freqs["model"] == 4
    assert "models" not in freqs


def test_hyphenated_terms_stay_whole():
    freqs = words.word_frequencies(["Self-Supervised Learning of Out-of-Distribution Detectors"], STOP)
    assert "self-supervised" in freqs
    assert "out-of-distribution" in freqs
    assert "supervised" not in freqs


def test_stop_words_and_field_filler_are_dropped():
    freqs = words.word_frequencies(["Towards Deep Neural Networks for the Learning of Causal Graphs via Attention"], STOP)
    assert set(freqs) == {"causal", "graphs", "attention"}


def test_acronyms_keep_their_case():
    freqs = words.word_frequencies(["GFlowNets for PDE solvers", "GFlowNet Foundations"], STOP)
    assert {k: v for k, v in freqs.items() if k.lower().startswith("gflownet")} in ({"GFlowNets": 2}, {"GFlowNet": 2})
    assert freqs["PDE"] == 1


def test_singular_rules_leave_non_plurals_alone():
    assert [words.singular(w) for w in ["studies", "dynamics", "analysis", "processes", "Networks"]] == [
        "study", "dynamics", "analysis", "process", "network"]


def test_cloud_is_deterministic_and_of_the_asked_size():
    freqs = {"causal": 5, "representation": 3, "GFlowNet": 2, "attention": 1}
    first = clouds.cloud_png(clouds.make_cloud(freqs, width=300, height=150))
    second = clouds.cloud_png(clouds.make_cloud(freqs, width=300, height=150))
    assert first == second
    from PIL import Image
    import io
    assert Image.open(io.BytesIO(first)).size == (300, 150)
