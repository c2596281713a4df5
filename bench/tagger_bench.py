"""Tagger speed and quality, written to docs/benchmarks.md and docs/tagger-quality.md.

    python bench/tagger_bench.py            # both
    python bench/tagger_bench.py --quick    # fewer repetitions
    python bench/tagger_bench.py --against OLD/src   # also another version

Speed is CPU time of one process (one core) through the whole tagger
(`docsearch.refs.tag`), on the extracted text of corpus/ and on the seed texts,
of its Python sources and of its build by mypyc (what `make` builds and
`docsearch` runs where a C compiler is found).
Each run is a fresh process holding only the texts. The build is measured
from a copy in the work folder, made there as `make` makes it in place and
kept for as long as the sources are unchanged; the sources are measured from
this tree with `DOCSEARCH_TAGGER=sources`. With ``--against`` (the
`src` of another version, e.g. from `git archive COMMIT src | tar -x -C OLD`),
the same texts are tagged by that version too, its runs taking turns with
this version's, so both are measured under the same load.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from docsearch.extract import extract_file  # noqa: E402
from docsearch.refs import goldset  # noqa: E402
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


def _repetitions(texts: list[str], target_mb: float) -> tuple[int, int]:
    """How many times the texts are tagged to make about ``target_mb`` MB,
    and the bytes that makes."""
    size = sum(len(t.encode()) for t in texts)
    reps = max(1, int(target_mb * 1e6 / size))
    return reps, size * reps


def compiled_src(work: Path) -> tuple[Path | None, str]:
    """A copy of ``src`` with the tagger's modules built by mypyc (the
    modules `make compile-tagger` builds, read from the Makefile), kept in
    ``work`` under a hash of the sources; (None, why) when it cannot be built."""
    make = (ROOT / "Makefile").read_text("utf-8")
    found = re.search(r"^TAGGER_COMPILED\s*:=\s*(.+)$", make, re.M)
    if found is None:
        return None, "the Makefile names no compiled modules"
    modules = found.group(1).split()
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    digest.update(sys.version.encode())
    folder = work / "tagger-compiled" / digest.hexdigest()[:16]
    if (folder / "complete").exists():
        return folder / "src", ""
    shutil.rmtree(work / "tagger-compiled", ignore_errors=True)
    shutil.copytree(ROOT / "src", folder / "src",
                    ignore=shutil.ignore_patterns("*.so", "build", "__pycache__", "*.egg-info"))
    mypyc = Path(sys.executable).with_name("mypyc")
    built = subprocess.run([str(mypyc), *[f"docsearch/refs/{m}.py" for m in modules]], cwd=folder / "src",
                           capture_output=True, text=True)
    if built.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        last = (built.stderr or built.stdout).strip().splitlines()[-1:] or ["no output"]
        return None, f"mypyc failed: {last[0]}"
    (folder / "complete").write_text("ok", "utf-8")
    return folder / "src", ""


def throughput(texts: list[str], target_mb: float, runs: int = 3, other: Path | None = None,
               src: Path = ROOT / "src") -> tuple[float, float, int, float | None]:
    """(MB tagged per run, MB/s of CPU time as the median of ``runs`` runs,
    references found per run, and the same MB/s of the tagger in the ``src``
    folder ``other`` when given) of the tagger in ``src`` (this tree's by
    default). Each run is a fresh process that tags the
    texts once before timing, so that loading the built-in knowledge is not
    counted, and whose memory holds only the texts (a large heap makes the
    garbage collector's passes, and so the tagging, slower). With ``other``,
    its runs alternate with these, so that a change of load on a shared
    machine falls on both alike."""
    reps, total = _repetitions(texts, target_mb)
    times = []
    other_times = []
    refs = 0
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "texts.json"
        corpus.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        for _ in range(runs):
            secs, refs = _run_in(src, corpus, reps)
            times.append(secs)
            if other is not None:
                other_times.append(_run_in(other, corpus, reps)[0])
    secs = sorted(times)[len(times) // 2]
    other_rate = total / 1e6 / sorted(other_times)[len(other_times) // 2] if other_times else None
    return total / 1e6, total / 1e6 / secs, refs, other_rate


# Run in a fresh process with a version's src first on the path: CPU seconds
# of one run over the texts repeated, after one untimed pass, and the
# references found.
_ONE_RUN = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from docsearch.refs import tag
texts = json.load(open(sys.argv[2], encoding="utf-8"))
reps = int(sys.argv[3])
for t in texts:
    tag(t)
refs = 0
start = time.process_time()
for _ in range(reps):
    for t in texts:
        refs += len(tag(t).references)
print(time.process_time() - start, refs)
"""


def _run_in(src: Path, corpus: Path, reps: int) -> tuple[float, int]:
    """CPU seconds of one run of the tagger in ``src`` over the texts in
    ``corpus``, ``reps`` times, and the references it found. This tree's
    ``src`` runs from its sources even where `make` compiled it in place: the
    build is measured from its own copy (:func:`compiled_src`)."""
    env = {**os.environ, "DOCSEARCH_TAGGER": "sources"} if src == ROOT / "src" else None
    out = subprocess.run([sys.executable, "-c", _ONE_RUN, str(src), str(corpus), str(reps)], capture_output=True,
                         text=True, check=True, env=env)
    secs, refs = out.stdout.split()
    return float(secs), int(refs)


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
    ap.add_argument("--against", type=Path, help="the src folder of another version, measured on the same texts")
    ap.add_argument("--against-label", default=None, help="what to call that version in the table")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "docsearch-bench",
                    help="where the compiled build is kept between runs")
    ap.add_argument("--no-compiled", action="store_true", help="measure the Python sources only")
    args = ap.parse_args()
    target = 5.0 if args.quick else 20.0
    rows = []
    load_start = os.getloadavg()[0]
    started = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())
    label = args.against_label or (str(args.against) if args.against else "")
    compiled, why_not = (None, "not asked for") if args.no_compiled else compiled_src(args.workdir)
    if compiled is None and not args.no_compiled:
        print(f"tagger_bench: no compiled build measured: {why_not}", file=sys.stderr)
    for name, texts in (("corpus/ (dense in references)", corpus_texts()), ("seed texts (news)", seed_texts())):
        mb, rate, refs, other = throughput(texts, target, other=args.against)
        row = f"| {name} | {mb:.1f} MB | {rate:.2f} MB/s | {refs:,} |"
        if other is not None:
            row += f" {other:.2f} MB/s | {rate / other:.2f}x |"
        if compiled is not None:
            # Measured right after the Python runs, on the same texts; the
            # build must find what the sources find.
            _, c_rate, c_refs, _ = throughput(texts, target, src=compiled)
            same = "" if c_refs == refs else f" (found {c_refs:,}: NOT the same)"
            row += f" {c_rate:.2f} MB/s{same} | {c_rate / rate:.2f}x |"
        rows.append(row)
    command = "python bench/tagger_bench.py" + (" --quick" if args.quick else "")
    if args.against is not None:
        command += f" --against {args.against}"
    speed = "\n".join([
        f"Run {started} on {machine()}; load average {load_start:.1f} at the start and "
        f"{os.getloadavg()[0]:.1f} at the end (the machine may be shared: CPU time is measured).",
        f"Command: `{command}`" + (f" ({label})." if args.against_label else "."),
        "CPU time of one process (one core) through the whole tagger: find, attach, resolve, relate; "
        "the median of 3 runs over the amount shown, each in a fresh process" + (
            ", the runs of the two versions taking turns." if args.against is not None else ".")
        + (" \"speed\" is the Python sources; \"compiled with mypyc\" the same sources with the tagger's "
           "modules built as `make` builds them (where a C compiler is found, as here: what `docsearch` runs), "
           "measured right after."
           if compiled is not None else f" No compiled build was measured ({why_not})."),
        "",
        "| text | amount | speed (sources) | references found |" + (" before | speed-up |" if args.against else "")
        + (" compiled with mypyc | compiled / Python |" if compiled is not None else ""),
        "|---|---|---|---|" + ("---|---|" if args.against else "") + ("---|---|" if compiled is not None else ""),
        *rows,
    ])
    write_section("tagger", "Tagger speed", speed)

    rows = ["| set | language | numbered P | numbered R | short P | short R | dates attached | relation type "
            "| ambiguity | standalone dates R |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for folder in ("dev", "heldout", "seeds"):
        scores = evaluate(load_folder(ROOT / "tests" / "data" / "tagged" / folder))
        for lang, s in scores.items():
            rows.append(
                f"| {folder} | {lang} | {s.numbered.precision:.3f} | {s.numbered.recall:.3f} | "
                f"{s.short.precision:.3f} | {s.short.recall:.3f} | {s.dates_attached.value:.3f} | "
                f"{s.relation_type.value:.3f} | {s.ambiguity.value:.3f} | {s.standalone_dates.recall:.3f} |"
            )
    p, r, n = corpus_edges()
    corpus = (f"Relations between documents (source, target, type; `cites` left out) on `corpus/` against\n"
              f"`tests/data/corpus_truth.json` ({n} relations): precision {p:.3f}, recall {r:.3f}.")
    quality = ROOT / "docs" / "tagger-quality.md"
    text = quality.read_text("utf-8")
    text = replace_between(text, "tagged", "\n".join(rows))
    text = replace_between(text, "corpus", corpus)
    real_dev = ROOT.parent / "shared" / "corpus" / "real-dev"
    if real_dev.is_dir():
        texts = goldset.load(real_dev)
        tune, held = goldset.split(texts)
        text = replace_between(text, "real-dev", goldset.table(
            [("tune", goldset.score(tune)), ("held-out", goldset.score(held)), ("all", goldset.score(texts))]).strip())
    quality.write_text(text, "utf-8")
    lines = [text]
    print(speed)
    print("\n".join(lines))


def replace_between(text: str, key: str, body: str) -> str:
    """Replace what stands between <!-- key:start --> and <!-- key:end -->."""
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    a, b = text.index(start) + len(start), text.index(end)
    return text[:a] + "\n" + body.strip() + "\n" + text[b:]


if __name__ == "__main__":
    main()
