"""Peak memory of `docsearch ingest` on one large text (`python bench/memory_bench.py [MB]`).

Each run is a fresh `docsearch ingest --jobs 1` process on a fresh index; its
peak resident set (ru_maxrss from wait4) is compared with that of ingesting a
one-paragraph file, the fixed base (interpreter, libraries, built-in tables).
The large text repeats a paragraph citing a resolution, so it also carries
one citation and one date every 270 bytes: the tags weigh as much as the text.
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


def peak_mb(file: Path, index: Path) -> tuple[float, float]:
    """Peak RSS in MB and seconds of one ingest of ``file``."""
    cmd = [sys.executable, "-m", "docsearch", "ingest", str(file), "--index", str(index), "--jobs", "1"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed on {file}")
    return usage.ru_maxrss / 1024, time.perf_counter() - started


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = folder / "small.txt"
        small.write_text(PARA, "utf-8")
        base, _ = peak_mb(small, folder / "index-small")
        big = folder / "big.txt"
        block = PARA * 200
        with big.open("w", encoding="utf-8") as fh:
            for _ in range(megabytes * 1024 * 1024 // len(block.encode()) + 1):
                fh.write(block)
        size = big.stat().st_size / 1024 / 1024
        peak, seconds = peak_mb(big, folder / "index-big")
    body = "\n".join([
        f"Machine: {machine()}, load average {load:.1f} at the start. "
        f"Command: `python bench/memory_bench.py {megabytes}` (peak resident memory of `docsearch ingest --jobs 1`).",
        "",
        "| input | peak memory | above the base | (peak - base) / file size | time |",
        "|---|---|---|---|---|",
        f"| one paragraph (the base) | {base:.0f} MB | | | |",
        f"| {size:.0f} MB of text, 191,000 citations and dates | {peak:.0f} MB | {peak - base:.0f} MB | "
        f"{(peak - base) / size:.1f}x | {seconds:.0f} s |",
    ])
    write_section("ingest-memory", "Ingestion: memory on a large text", body)
    print(body)


if __name__ == "__main__":
    main()
