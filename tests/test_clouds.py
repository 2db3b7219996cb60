from authorstats.analysis import words
from authorstats.render import clouds
from authorstats.shell.config_files import load_stopwords

STOP = load_stopwords()


def test_plurals_fold_into_one_word():
    # "model" is filler by default; with it allowed, Model and Models count as one word
    allowed = STOP - {"model"}
    freqs = words.word_frequencies(["Generative Models", "A Model of Models", "Energy-Based Model"], allowed)
    assert freqs["model"] == 3  # three titles use it ("A Model of Models" once)
    assert "models" not in freqs


def test_hyphenated_terms_stay_whole():
    freqs = words.word_frequencies(["Self-Supervised Learning of Out-of-Distribution Detectors"], STOP)
    assert "self-supervised" in freqs
    assert "out-of-distribution" in freqs
    assert "supervised" not in freqs


def test_stop_words_and_field_filler_are_dropped():
    freqs = words.word_frequencies(
        ["Towards Deep Neural Networks for the Learning of Causal Graphs via Attention"], STOP
    )
    assert set(freqs) == {"causal", "graphs", "attention"}


def test_acronyms_keep_their_case():
    freqs = words.word_frequencies(["GFlowNets for PDE solvers", "GFlowNet Foundations"], STOP)
    assert {k: v for k, v in freqs.items() if k.lower().startswith("gflownet")} in ({"GFlowNets": 2}, {"GFlowNet": 2})
    assert freqs["PDE"] == 1


def test_singular_rules_leave_non_plurals_alone():
    assert [words.singular(w) for w in ["studies", "dynamics", "analysis", "processes", "Networks"]] == [
        "study",
        "dynamics",
        "analysis",
        "process",
        "network",
    ]


def test_cloud_is_deterministic_and_of_the_asked_size():
    freqs = {"causal": 5, "representation": 3, "GFlowNet": 2, "attention": 1}
    first = clouds.cloud_png(clouds.make_cloud(freqs, width=300, height=150))
    second = clouds.cloud_png(clouds.make_cloud(freqs, width=300, height=150))
    assert first == second
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(first)).size == (300, 150)


def test_inflections_fold_into_one_theme_shown_in_its_most_frequent_form():
    # titles from the bundled snapshot (Bengio, 2021-22): generation, generative and generating are one theme
    titles = [
        "Flow Network based Generative Models for Non-Iterative Diverse Candidate Generation",
        "Unifying Generative Models with GFlowNets and Beyond",
        "Generative Augmented Flow Networks",
        "ClimateGAN: Raising Climate Change Awareness by Generating Images of Floods",
    ]
    freqs = words.word_frequencies(titles, STOP)
    assert freqs["generative"] == 4 and not {"generation", "generating"} & set(freqs)  # in all four titles
    assert words.theme_key("generalisation") == words.theme_key("generalization") == words.theme_key("Generalizing")
    # short stems are left alone: no "act" from "active" and "activation" (stems shorter than MIN_STEM stay whole)
    assert words.theme_key("active") == "active" and words.theme_key("string") == "string"


def test_the_taxonomys_multi_word_terms_stay_whole():
    from authorstats.analysis.cloud_weights import cloud_phrases
    from authorstats.shell.config_files import load_taxonomy

    phrases = cloud_phrases(load_taxonomy())
    titles = [
        "Generative Flow Networks for Discrete Probabilistic Modeling",  # GFlowNets: "flow networks"
        "FloW: A Dataset and Benchmark for Floating Waste Detection in Inland Waters",  # a dataset's name
        "Towards Causal Representation Learning",
        "Deep Neural Networks for Causal Graphs",
    ]
    freqs = words.word_frequencies(titles, STOP, phrases)
    assert freqs["flow networks"] == 1 and freqs["FloW"] == 1  # the dataset no longer adds to GFlowNets' "flow"
    assert freqs["causal representation learning"] == 1 and freqs["causal"] == 1
    assert not any("neural" in word.lower() for word in freqs)  # a term of filler words only is dropped


def test_filler_words_of_the_seminar_cloud_are_dropped():
    title = "Saliency is a Possible Red Herring When Diagnosing Poor Generalization"  # Bengio, ICLR 2021
    assert set(words.word_frequencies([title], STOP)) == {"saliency", "generalization"}
    assert "meets" not in words.word_frequencies(["Invariance Principle Meets Information Bottleneck"], STOP)


def test_no_word_is_paler_than_3_to_1_against_white():
    import io

    from PIL import Image

    assert all(clouds.contrast_with_white(_rgb(c)) >= 3 for c in clouds.readable_palette())
    assert clouds.contrast_with_white((1.0, 1.0, 1.0)) == 1 and round(clouds.contrast_with_white((0, 0, 0))) == 21
    freqs = {f"word{i}": 50 - i for i in range(40)}
    image = Image.open(io.BytesIO(clouds.cloud_png(clouds.make_cloud(freqs, width=400, height=200)))).convert("RGB")
    palette = {_rgb(c) for c in clouds.readable_palette()}
    drawn = {tuple(v / 255 for v in color) for _, color in image.getcolors(maxcolors=1 << 16)}
    assert drawn & palette  # the words' colours come from the palette (anti-aliased edges blend with white)
    assert all(clouds.contrast_with_white(c) >= 3 for c in drawn & palette)


def _rgb(text: str) -> tuple[float, float, float]:
    r, g, b = (int(v) / 255 for v in text[4:-1].split(","))
    return r, g, b


def test_a_word_repeated_inside_one_title_counts_once():
    """A cloud weighs themes by the titles that use them: Hinton's "Canonical Capsules: ... canonical ..." made
    'canonical' his second-largest word."""
    weights = words.word_frequencies(
        ["Canonical capsules: self-supervised capsules in canonical pose", "Capsules again"], frozenset({"in"})
    )
    assert weights == {"capsules": 2, "canonical": 1, "self-supervised": 1, "pose": 1, "again": 1}


def test_wordclouds_stop_words_read_from_its_file_are_the_ones_it_imports():
    """The report reads wordcloud's English stop words from its file rather than importing wordcloud (a report
    that reuses every picture draws no cloud): the same words."""
    from wordcloud import STOPWORDS

    from authorstats.shell.config_files import load_stopwords, wordcloud_stopwords

    assert wordcloud_stopwords() == frozenset(STOPWORDS)
    assert frozenset(STOPWORDS) <= load_stopwords()
