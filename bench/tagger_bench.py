"""Tagger speed and quality, written to docs/benchmarks.md and docs/tagger-quality.md.

    python bench/tagger_bench.py            # both
    python bench/tagger_bench.py --quick    # fewer repetitions

Speed is CPU time of one process (one core) through the whole tagger
(`docsearch.refs.tag`), on the extracted text of corpus/ and on the seed texts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from docsearch.extract import extract_file  # noqa: E402
from docsearch.refs import tag  # noqa: E402
from docsearch.refs.evaluate import evaluate, load_folder  # noqa: E402
from docsearch.refs.files import tag_file  # noqa: E402

from bench_report import machine, write_section  # noqa: E402


def corpus_texts() -> list[str]:
    out = []
    for p in sorted((ROOT / "corpus").rglob("*")):
        if p.is_file():
            out.append(extract_file(p)[1].text)
    return out


def seed_texts() -> list[str]:
    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    return [p.read_text("utf-8") for p in sorted(seeds.glob("*.txt"))]


def throughput(texts: list[str], target_mb: float) -> tuple[float, float, int]:
    size = sum(len(t.encode()) for t in texts)
    reps = max(1, int(target_mb * 1e6 / size))
    docs = texts * reps
    total = size * reps
    start = time.process_time()
    refs = 0
    for d in docs:
        refs += len(tag(d).references)
    secs = time.process_time() - start
    return total / 1e6, total / 1e6 / secs, refs


def corpus_edges() -> tuple[float, float, int]:
    truth = json.loads((ROOT / "tests" / "data" / "corpus_truth.json").read_text("utf-8"))
    tp = fp = fn = 0
    for entry in truth:
        tagged = tag_file(ROOT / entry["path"])
        gold = {(r["source"], r["target"], r["type"]) for r in entry["relations"] if r["type"] != "cites"}
        pred = {(r.source, r.target, r.type) for r in tagged.tags.relations if r.type != "cites"}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return tp / (tp + fp), tp / (tp + fn), tp + fn


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    target = 5.0 if args.quick else 20.0
    rows = []
    for name, texts in (("corpus/ (dense in references)", corpus_texts()), ("seed texts (news)", seed_texts())):
        mb, rate, refs = throughput(texts, target)
        rows.append(f"| {name} | {mb:.1f} MB | {rate:.2f} MB/s | {refs:,} |")
    speed = "\n".join([
        f"Machine: {machine()}. Command: `python bench/tagger_bench.py`.",
        "CPU time of one process (one core) through the whole tagger: find, attach, resolve, relate.",
        "",
        "| text | amount | speed | references found |",
        "|---|---|---|---|",
        *rows,
    ])
    write_section("tagger", "Tagger speed", speed)

    lines = ["# Tagger quality", "",
             "Measured by `python bench/tagger_bench.py` against the annotated texts in",
             "`tests/data/tagged/` (format in its README). `dev` was used while building the",
             "tagger, `heldout` was not; `seeds` are the user's five real texts. A reference",
             "counts as found when a predicted span overlaps the annotated one with the same id.", "",
             "| set | language | numbered P | numbered R | short P | short R | dates attached | relation type | ambiguity | standalone dates R |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for folder in ("dev", "heldout", "seeds"):
        scores = evaluate(load_folder(ROOT / "tests" / "data" / "tagged" / folder))
        for lang, s in scores.items():
            lines.append(
                f"| {folder} | {lang} | {s.numbered.precision:.3f} | {s.numbered.recall:.3f} | "
                f"{s.short.precision:.3f} | {s.short.recall:.3f} | {s.dates_attached.value:.3f} | "
                f"{s.relation_type.value:.3f} | {s.ambiguity.value:.3f} | {s.standalone_dates.recall:.3f} |"
            )
    p, r, n = corpus_edges()
    lines += ["", "Relations between documents (source, target, type; `cites` left out) on the shipped",
              f"corpus against `tests/data/corpus_truth.json` ({n} relations): precision {p:.3f}, recall {r:.3f}.",
              "That truth was written independently of the tagger and of the annotated set; where the",
              "two conventions differ (for example whether \"Căn cứ\" before a resolution is a basis or",
              "an implementation) the number is lower than the per-mention relation accuracy above.", ""]
    (ROOT / "docs" / "tagger-quality.md").write_text("\n".join(lines), "utf-8")
    print(speed)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
