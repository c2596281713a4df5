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
        "The ingest holds the text once, as a string (one and a half times the file for Vietnamese), while "
        "it is tagged, stored and indexed: the file's bytes go once the text is extracted, the tags travel as "
        "compact rows that hold no copies of the text, and the rows are made while the store writes them. "
        "The tagger (third row) holds, besides the text and its match view, one record per citation and "
        "date of the whole text at once (where each is, what it says, the cue before it), and this text has "
        "one of each every 270 bytes. Equal numbers, dates and surfaces are shared, offsets are kept in "
        "arrays, the digit runs and byte codes go once the finders are done and the lines view is made for "
        "the head of the text only, which is all the header and preamble readers use; none of it changes the "
        "result (tests/test_refs_memory.py). The ingest's peak is now where the full-text index takes the "
        "text in (last row): the text read back from the store, one row per citation for the cited-document "
        "field and the highlights, and tantivy's own copy of the text and its postings, built in memory for "
        "a whole document (given the body in pieces of a million characters instead, it peaked higher on "
        "this text). "
        "Going lower needs the tagger to read a long text in pieces while carrying what it knows of the "
        "whole document from piece to piece (the header's identity, where the preamble and the articles "
        "are, which document a bare number means, the province of a body named without it, the relations "
        "already stated; tagged independently, pieces give other results), and the index to take a very "
        "long text's citations and postings in bounded batches.",
    ])
    write_section("ingest-memory", "Ingestion: memory on a large text", body)
    print(body)


if __name__ == "__main__":
    main()
