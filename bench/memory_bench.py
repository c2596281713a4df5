"""Peak memory of `docsearch ingest` on one large text (`python bench/memory_bench.py [MB]`).

Each run is a fresh `docsearch ingest --jobs 1` process on a fresh index; its
peak resident set (ru_maxrss from wait4) is compared with that of ingesting a
one-paragraph file, the fixed base (interpreter, libraries, built-in tables).
The large text is made of paragraphs that each cite a resolution with its
date, about one citation and one date every 270 bytes (the tags weigh as
much as the text); the numbers and dates vary from paragraph to paragraph
(a thousand documents, each cited under several dates), so that no finding
is the same object as another, as in a real compilation of texts.

Two more processes show where the peak comes from: one that only extracts
and tags the file (the tagger's working memory and its results), and
`docsearch reindex` of the index the ingest made (the full-text index
taking in the text, which an ingest does after storing it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_report import machine, write_section

PARA = ("Ban Thường vụ Tỉnh ủy ban hành Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW "
        "ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
        "và chuyển đổi số quốc gia.\n")


def paragraph(i: int) -> str:
    """The ``i``-th paragraph of the large text: PARA citing another number and date."""
    return (PARA.replace("57-NQ/TW", f"{i % 997 + 1}-NQ/TW")
            .replace("22/12/2024", f"{i % 28 + 1}/{i % 12 + 1}/{2000 + i % 25}"))

EXTRACT_ONLY = ("import sys; from docsearch.extract import extract_file; from docsearch.lang import detect_language; "
                "ex = extract_file(sys.argv[1])[1]; detect_language(ex.text)")
TAG_ONLY = ("import sys; from docsearch.extract import extract_file; from docsearch.lang import detect_language; "
            "from docsearch.refs import tag; ex = extract_file(sys.argv[1])[1]; "
            "tag(ex.text, lang=detect_language(ex.text))")


#: The stages of an ingest, as the functions that do them: extracting the
#: file, tagging its text, making the rows the store writes, writing them,
#: and the full-text index taking the batch in.
STAGES = (("docsearch.ingestion", None, "extract_bytes", "extracting"),
          ("docsearch.ingestion", None, "tag", "tagging"),
          ("docsearch.store", "TagRows", "of", "tag rows"),
          ("docsearch.store", "Store", "save_documents", "writing the store"),
          ("docsearch.search.indexer", "LiveIndex", "update", "full-text index"),
          ("docsearch.search.indexer", "LiveIndex", "sync", "full-text index"))


def stages(file: str, index: str) -> None:
    """Run ``docsearch ingest --jobs 1`` in this process and print the peak
    resident memory seen during each stage (sampled every 20 ms) and what
    the process held when the stage first began, as
    ``peak MB<tab>start MB<tab>stage`` lines."""
    import functools
    import importlib
    import threading

    peaks: dict[str, float] = {}
    starts: dict[str, float] = {}
    current = ["start"]

    def resident() -> float:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def sample() -> None:
        while True:
            mb, stage = resident(), current[0]
            peaks[stage] = max(peaks.get(stage, 0.0), mb)
            time.sleep(0.02)

    def timed(fn: Any, label: str) -> Any:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            starts.setdefault(label, resident())
            before, current[0] = current[0], label
            try:
                return fn(*args, **kwargs)
            finally:
                current[0] = before
        return inner

    for module_name, owner_name, name, label in STAGES:
        module = importlib.import_module(module_name)
        owner = getattr(module, owner_name) if owner_name else module
        fn = owner.__dict__[name]
        setattr(owner, name, classmethod(timed(fn.__func__, label)) if isinstance(fn, classmethod)
                else timed(fn, label))
    threading.Thread(target=sample, daemon=True).start()
    from docsearch.cli import main as cli

    sys.argv = ["docsearch", "ingest", file, "--index", index, "--jobs", "1"]
    try:
        cli()
    except SystemExit as exc:
        if exc.code:
            raise
    time.sleep(0.05)
    for stage in dict.fromkeys(label for *_, label in STAGES):
        if stage in starts:
            print(f"{peaks.get(stage, 0.0):.0f}\t{starts[stage]:.0f}\t{stage}")


def measure(cmd: list[str]) -> tuple[float, float, float]:
    """Peak RSS in MB, wall seconds and CPU seconds of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return usage.ru_maxrss / 1024, time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def ingest_cmd(file: Path, index: Path) -> list[str]:
    return [sys.executable, "-m", "docsearch", "ingest", str(file), "--index", str(index), "--jobs", "1"]


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = folder / "small.txt"
        small.write_text(PARA, "utf-8")
        base, _, _ = measure(ingest_cmd(small, folder / "index-small"))
        big = folder / "big.txt"
        paragraphs = 0
        written = 0
        with big.open("w", encoding="utf-8") as fh:
            while written < megabytes * 1024 * 1024:
                block = "".join(paragraph(i) for i in range(paragraphs, paragraphs + 200))
                fh.write(block)
                written += len(block.encode())
                paragraphs += 200
        size = big.stat().st_size / 1024 / 1024
        index = folder / "index-big"
        peak, seconds, cpu = measure(ingest_cmd(big, index))
        ext_peak, ext_seconds, ext_cpu = measure([sys.executable, "-c", EXTRACT_ONLY, str(big)])
        tag_peak, tag_seconds, tag_cpu = measure([sys.executable, "-c", TAG_ONLY, str(big)])
        fts_peak, fts_seconds, fts_cpu = measure([sys.executable, "-m", "docsearch", "reindex", "--index", str(index)])
        staged = subprocess.run([sys.executable, __file__, "--stages", str(big), str(folder / "index-stages")],
                                check=True, capture_output=True, text=True).stdout
        stage_peaks = [(line.split("\t")[2], float(line.split("\t")[0]), float(line.split("\t")[1]))
                       for line in staged.splitlines() if line.count("\t") == 2]
    end_load = os.getloadavg()[0]

    def row(name: str, mb: float, wall: float, cpu_s: float) -> str:
        return (f"| {name} | {mb:.0f} MB | {mb - base:.0f} MB | {(mb - base) / size:.1f}x | "
                f"{wall:.0f} s ({cpu_s:.0f} s CPU) |")

    body = "\n".join([
        f"Machine: {machine()}, load average {load:.1f} at the start and {end_load:.1f} at the end. "
        f"Command: `python bench/memory_bench.py {megabytes}` (peak resident memory of each process).",
        "",
        "| process | peak memory | above the base | (peak - base) / file size | time |",
        "|---|---|---|---|---|",
        f"| `docsearch ingest --jobs 1` of one paragraph (the base) | {base:.0f} MB | | | |",
        row(f"`docsearch ingest --jobs 1` of {size:.0f} MB of text, {paragraphs:,} citations and as many dates",
            peak, seconds, cpu),
        row("extracting the same file alone", ext_peak, ext_seconds, ext_cpu),
        row("extracting and tagging it", tag_peak, tag_seconds, tag_cpu),
        row("`docsearch reindex` of the index the ingest made", fts_peak, fts_seconds, fts_cpu),
        "",
        "Each stage of the same ingest, run in one process that samples its own resident memory every 20 ms "
        "(the peak while the stage runs, against the same base):",
        "",
        "| stage of the ingest | held at its start | peak memory | above the base | (peak - base) / file size |",
        "|---|---|---|---|---|",
        *(f"| {name} | {start:.0f} MB | {mb:.0f} MB | {mb - base:.0f} MB | {(mb - base) / size:.1f}x |"
          for name, mb, start in stage_peaks),
        "",
        "The tagger reads a text of more than four million characters in pieces of a million "
        "(`refs/pieces.py`), each with 20,000 characters of text on either side, and keeps what starts in the "
        "piece; what it holds at its peak is the text itself (one and a half times the file as a string), one "
        "reference and one date per citation of the whole text and one piece's working memory. The rows the "
        "store writes from them are packed for a text of more than a million characters (`store.PackedRows`: "
        "`marshal` blobs of 4,096 rows compressed, about 5 MB for the citations and dates here, where tuples took "
        "about 80 MB spread among the tagger's objects), and a full collection follows (`ingestion._give_back_memory`, 22 MB "
        "less): freed, the tagger's objects give most of Python's small-object arenas back to the system, but "
        "not all: about 65 arenas of 1 MB stay, each kept by a few objects made while tagging that live on "
        "(6 MB of small objects live in all, as many as before tagging). "
        "Writing the store: the row is made with a text of its length in bytes and the encoded text written "
        "over it through a blob handle a million characters at a time (`Store._upsert_long`), so Python keeps "
        "no UTF-8 copy of the string; what is left is SQLite's own, twice the file for the moment of the insert "
        "(the zero-filled value cast to text and the record made of it: a zeroblob not cast is stored as a BLOB, "
        "and SQLite leaves it unmade only in a row's last column). The full-text index takes a text of more than "
        "two million characters as parts of a million (`search/tantivy_engine.py`), each the next tantivy "
        "document, written by a writer of one thread and a 48 MB budget swapped in for that document "
        "(`LONG_HEAP`), so that tantivy writes a segment each time the budget is full instead of holding the "
        "postings of every part until the commit; it still holds the parts queued for its indexing thread "
        "(tantivy-py takes a document without waiting for it to be indexed), about the text once more in UTF-8. "
        "The index stage reads the text back as one string, with the document's citations (their ids and "
        "places, which the parts' stored data need).",
    ])
    write_section("ingest-memory", "Ingestion: memory on a large text", body)
    print(body)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--stages":
        stages(sys.argv[2], sys.argv[3])
    else:
        main()
