"""Peak memory of `docsearch ingest` on one large text (`python bench/memory_bench.py [MB]`).

Each run is a fresh `docsearch ingest --jobs 1` process on a fresh index; its
peak resident set (ru_maxrss from wait4) is compared with that of ingesting a
one-paragraph file, the fixed base (interpreter, libraries, built-in tables).
The large text repeats a paragraph citing a resolution, so it also carries
one citation and one date every 270 bytes: the tags weigh as much as the text.

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
        block = PARA * 200
        with big.open("w", encoding="utf-8") as fh:
            for _ in range(megabytes * 1024 * 1024 // len(block.encode()) + 1):
                fh.write(block)
        size = big.stat().st_size / 1024 / 1024
        index = folder / "index-big"
        peak, seconds, cpu = measure(ingest_cmd(big, index))
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
        row(f"`docsearch ingest --jobs 1` of {size:.0f} MB of text, 191,000 citations and dates", peak, seconds, cpu),
        row("extracting and tagging the same file alone", tag_peak, tag_seconds, tag_cpu),
        row("`docsearch reindex` of the index the ingest made", fts_peak, fts_seconds, fts_cpu),
        "",
        "The ingest holds the text once, as a string, while it is tagged, stored and indexed: the file's "
        "bytes go once the text is extracted, the tags travel as compact rows that hold no copies of the "
        "text, and the rows are made while the store writes them. What remains above the base is the larger "
        "of two stages that both grow with the text: the tagger's working memory (second row) and the "
        "full-text engine taking in the whole text as one document (third row; tantivy builds a document's "
        "postings in memory). Bounding the tagger needs it to read a long text in pieces while carrying "
        "what it knows of the whole document from piece to piece (the header's identity, where the preamble "
        "and the articles are, which document a bare number means, the province of a body named without "
        "it): tagged independently, pieces give other results.",
    ])
    write_section("ingest-memory", "Ingestion: memory on a large text", body)
    print(body)


if __name__ == "__main__":
    main()
