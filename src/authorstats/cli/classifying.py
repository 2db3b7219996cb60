"""The commands about topics: topics, classify, evaluate, review, taxonomy suggest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from authorstats.cli.app import RosterOpt, TaxonomyOpt, WorkspaceOpt, app
from authorstats.shell.console import command, progress_bar


@app.command(short_help="List the taxonomy's topics with descriptions and example terms.")
@command
def topics(
    taxonomy: TaxonomyOpt = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            metavar="NAME",
            help="List one of the taxonomy's groupings instead: its categories and the topics each takes.",
        ),
    ] = None,
) -> None:
    """List the topics of the taxonomy: each one's name, description and strongest match terms.

    A trailing * in a term stands for any ending, (s) for an optional plural; docs/classifier.md explains
    the terms and their weights. With --group-by NAME: the categories of that grouping instead.
    """
    from shutil import get_terminal_size

    from authorstats.render.topics import format_grouping, format_listing, topic_listing
    from authorstats.shell.config_files import load_taxonomy

    source = f"taxonomy {taxonomy.name}" if taxonomy is not None else "bundled taxonomy"
    width = min(get_terminal_size().columns, 100)
    loaded = load_taxonomy(taxonomy)
    if group_by is not None:
        typer.echo(format_grouping(loaded.grouping(group_by), source, width), nl=False)
        return
    typer.echo(format_listing(topic_listing(loaded), source, width), nl=False)


@app.command("classify", short_help="Tag every row of a CSV file with a topic.")
@command
def classify_file(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="CSV with a title column (and optionally abstract), or a .parquet file."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the result here (.parquet: as Parquet).",
            show_default="CSV on standard output",
        ),
    ] = None,
    taxonomy: TaxonomyOpt = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Overwrite input columns named topic, score, evidence, topics or confidence."),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS|local",
            help="Classify on a Dask cluster: a scheduler's address (tcp://host:8786), or "
            "local for one on this machine. Needs authorstats[dask]; see docs/scale.md.",
        ),
    ] = None,
) -> None:
    """Tag every row of a CSV or Parquet file with a topic: adds topic, score, evidence, topics and confidence columns.

    Works on any list with a title column, e.g. exported from another tool; an abstract column adds evidence.
    An input that already has one of those columns is refused, unless --replace: then the new ones replace them.
    The file is read and written a chunk at a time, so memory stays flat however long it is.
    """
    from authorstats.shell import classify_files, config_files, processes

    tax = config_files.load_taxonomy(taxonomy)
    if scheduler is None:
        rows = classify_files.classify_file(file, output, tax, replace=replace, workers=processes.cpu_count())
    else:
        from authorstats.shell import dask_classify

        rows = dask_classify.classify_file(file, output, tax, replace=replace, scheduler=scheduler)
    if output is not None:
        typer.echo(f"Classified {rows} rows -> {output}", err=True)


@app.command(short_help="Measure the classifier's accuracy on labelled titles.")
@command
def evaluate(
    labels: Annotated[
        Path, typer.Argument(metavar="FILE", help="CSV with title, topic and optional also_ok (semicolon-separated).")
    ],
    taxonomy: TaxonomyOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="FOLDER",
            help="Also write confusion.png, misclassified.csv, per_topic.csv and calibration.csv here.",
        ),
    ] = None,
) -> None:
    """Measure the classifier on labelled titles: strict and lenient accuracy, per-topic precision/recall/F1, confusion.

    Strict: the prediction is the labelled topic. Lenient: it is the topic or one of also_ok.
    """
    from authorstats.analysis import evaluate as evaluation
    from authorstats.shell import config_files, csv_files

    tax = config_files.load_taxonomy(taxonomy)
    result = evaluation.evaluate(csv_files.read_labels_csv(labels), tax)
    typer.echo(evaluation.format_evaluation(result))
    if out is not None:
        for path in csv_files.write_evaluation(result, out):
            typer.echo(f"wrote {path}", err=True)


@app.command(short_help="Correct topics by hand: list uncertain records, --apply answers.")
@command
def review(
    workspace: WorkspaceOpt = Path("."),
    below: Annotated[
        float | None,
        typer.Option(
            "--below",
            min=0.0,
            max=1.0,
            metavar="CONFIDENCE",
            help="List every record whose topic confidence is under this (0 to 1) instead of --target's.",
        ),
    ] = None,
    target: Annotated[
        float,
        typer.Option(
            "--target",
            min=0.5,
            max=1.0,
            metavar="ACCURACY",
            help="List the fewest records, most likely wrong first, whose checking brings the estimated accuracy here.",
        ),
    ] = 0.95,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the review CSV.",
            show_default="WORKSPACE/data/review.csv",
        ),
    ] = None,
    apply: Annotated[
        Path | None,
        typer.Option("--apply", metavar="FILE", help="Merge a filled review CSV into WORKSPACE/data/labels.csv."),
    ] = None,
    taxonomy: TaxonomyOpt = None,
) -> None:
    """Correct topics by hand: list the records most likely wrong to a CSV, then merge your answers with --apply.

    The confidence is calibrated (a topic stated at 0.8 is right about 80% of the time), so the mean confidence
    estimates the share of right topics; the list holds the fewest records, least confident first, whose checking
    brings that estimate to --target (or every record under --below). Fill the correct_topic column of the rows you
    check (leave the others empty). Labels in data/labels.csv are applied by every later `authorstats report`.
    """
    from authorstats.config import labels as manual
    from authorstats.shell import config_files, csv_files, lock, store

    ws = store.Workspace(workspace)
    tax = config_files.load_taxonomy(taxonomy)
    if apply is not None:
        filled = csv_files.read_review(apply)
        with lock.workspace_lock(ws, "review --apply"):
            merged, added, changed = manual.merge_review(
                config_files.read_labels(ws.labels, tax.names), filled, tax.names, apply
            )
            store.atomic_write_text(ws.labels, csv_files.csv_text(merged), workspace=ws)
        typer.echo(
            f"Merged {added} new and {changed} changed label(s) into {ws.labels} ({len(merged)} in all). "
            "Run `authorstats report` to apply them."
        )
        return
    processed = csv_files.read_processed(ws)
    table = manual.review_table(processed, below, target)
    now, after = manual.review_estimate(processed, len(table))
    path = output or ws.root / "data" / "review.csv"
    config_files.keep_corrections(path, ws.labels)
    if output:  # the user's choice, wherever it is
        store.write_output_text(path, csv_files.csv_text(table))
    else:
        store.atomic_write_text(path, csv_files.csv_text(table), workspace=ws)
    which = f"with confidence under {below:g}" if below is not None else "most likely wrong first"
    typer.echo(f"Wrote {len(table)} record(s) {which} to {path}.")
    typer.echo(
        f"Estimated accuracy of the {len(processed)} records: {now:.2f} now, {after:.2f} once these are checked"
        + ("" if below is not None or after >= target - 1e-9 else f" (--target {target:g} needs every record)")
        + "."
    )
    typer.echo(f"Fill correct_topic with one of: {', '.join(tax.names)}; then run `authorstats review --apply {path}`.")


taxonomy_app = typer.Typer(help="Start a taxonomy for your own field.", no_args_is_help=True)
app.add_typer(taxonomy_app, name="taxonomy")


@taxonomy_app.command("suggest")
@command
def taxonomy_suggest(
    source: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FILE.csv",
            help="CSV with a title column (and optionally abstract) to model.",
            show_default="the workspace's records",
        ),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the suggested taxonomy.")] = Path(
        "taxonomy.suggested.toml"
    ),
    topics: Annotated[
        int | None,
        typer.Option(
            "--topics",
            min=2,
            max=50,
            help="How many topics to propose.",
            show_default="the most coherent number from 2 to 12",
        ),
    ] = None,
    extend: Annotated[
        bool,
        typer.Option(
            "--extend",
            help=(
                "Propose topics only for the records the taxonomy leaves in Other or tags with confidence under 0.7, "
                "and write the taxonomy with them added."
            ),
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
    taxonomy: Annotated[
        Path | None,
        typer.Option("--taxonomy", help="The taxonomy --extend adds to.", show_default="the bundled taxonomy"),
    ] = None,
    roster: RosterOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Suggest a starter taxonomy from titles (and abstracts): a TF-IDF + NMF topic model with a fixed seed.

    One topic per model component, named by its top terms, which become its weighted patterns; the ten titles that
    load most on it follow as comments. Rename, merge and edit the topics, then use the file with --taxonomy. Reads
    the workspace's records (fetched, else the bundled snapshot) or --from FILE.csv; never replaces an existing file
    without --force. See docs/classifier.md.
    """
    from authorstats.shell import store
    from authorstats.shell import suggest as suggesting

    options = suggesting.SuggestOptions(
        output=output, topics=topics, extend=extend, force=force, source=source, taxonomy=taxonomy, roster=roster
    )
    result = suggesting.suggest(store.Workspace(workspace), options, progress=progress_bar)
    if topics is None:
        tried = ", ".join(f"{n}: {score:.3f}" for n, score in result.coherence.items())
        typer.echo(f"Coherence (mean NPMI of the top terms) by number of topics: {tried}; chose {result.chosen}.")
        if result.shuffled is not None:
            typer.echo(
                f"The same words shuffled among the titles: at best {result.shuffled:.3f}; the chosen model is "
                f"{result.coherence[result.chosen] - result.shuffled:.2f} above it."
            )
    if result.already_there:
        left = "; ".join(f"{name} (its top terms are tagged {topic})" for name, topic in result.already_there.items())
        typer.echo(f"Left out, as the taxonomy has them already: {left}.")
    what = ("new topic" if extend else "topic") + ("" if len(result.new_topics) == 1 else "s")
    typer.echo(
        f"{len(result.new_topics)} {what} fitted on {result.texts} titles; records of the {result.read} "
        "each topic would take with this taxonomy:"
    )
    width = max(len(name) for name in result.counts)
    for name, count in result.counts.items():
        typer.echo(f"  {name:<{width}}  {count:>5}")
    typer.echo(f"Wrote {output}. Rename, merge and edit its topics, then use it: --taxonomy {output}")
