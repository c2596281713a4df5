#!/usr/bin/env python3
"""Validate and count the annotated test set in this folder.

    python count.py            # validate everything, print the counts table (markdown)
    python count.py --strict   # exit 1 on any error (warnings are only printed)
    python count.py --table    # only the counts table (as in README.md)
    python count.py -q         # do not print lint warnings

Checks: metadata lines, balanced and well-formed markup, known keys and values,
valid dates, canonical ids, src ids that occur in the text (or are `self`), traps that
occur in the plain text outside annotations, word counts, and that every file in
seeds/ strips to the byte-identical seed text in /work/shared/corpus/seeds/.
"""
from __future__ import annotations

import datetime as _dt
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED_SRC = Path("/work/shared/corpus/seeds")
FOLDERS = ["dev", "heldout", "seeds"]
LANGS = ["vi", "en", "de"]

KEYS = {"id", "date", "rel", "src", "amb", "by", "year"}
META_KEYS = {"lang", "self", "self_date", "note"}
RELS = ["implements", "based_on", "summarizes", "amends", "replaces", "repeals", "guides", "cites"]
BYS = {"politburo", "secretariat", "central_committee", "government", "prime_minister",
       "national_assembly", "provincial_party_committee", "peoples_committee"}
# Party: NN-TYPE/ISSUER ; State: NN/YYYY/TYPE-ISSUER, NN/YYYY/QHnn, NN/TYPE-ISSUER
PARTY_RE = re.compile(r"^\d{2,5}-(NQ|CT|KL|QĐ|QĐi|QC|HD|CTr|KH|TB|TT|BC|TTr|ĐA|CV)/[A-ZĐ]{2,8}$")
STATE_LEGAL_RE = re.compile(r"^\d{1,4}/(19|20)\d\d/(NĐ-CP|NQ-CP|QĐ-TTg|TT-B[A-ZĐ]{1,6}|QĐ-UBND|NQ-HĐND|CT-UBND)$")
STATE_LAW_RE = re.compile(r"^\d{1,4}/(19|20)\d\d/QH1[0-5]$")
STATE_ADMIN_RE = re.compile(r"^\d{1,5}/[A-ZĐ]{1,4}-[A-ZĐa-z]{1,10}$")
# ids that name more than one document (different terms): need date=, year= or amb=1
MULTI = {"18-NQ/TW", "19-NQ/TW", "28-NQ/TW"}

# traps of the seed files (seed files may carry no %% note line)
SEED_TRAPS = {
    "000_e47e3fb3826e973b.txt": ["13th National Party Congress", "13th Party Central Committee",
                                 "In 2020", "9 consecutive years (2015-2023)", "\"5 truths\"", "\"6 dares\""],
    "001_eac35e6b454311f1.txt": ["(term XIII)", "Party Cell 35", "2020-2025 term (2021-2026)",
                                 "14% of the total", "1,688 Party organizations", "103.4%"],
    "002_cd41771429e50344.txt": ["Session VI (March 1989)", "13th National Party Congress (2021)",
                                 "term 2025 - 2030", "6,724.6 km 2", "2020 - 2025 term", "2021 - 2025",
                                 "(1) 4 good things", "4,779 party organizations"],
    "003_18b55c52c9600963.txt": ["2020-2025 term", "12/13", "168/177 (94.92%)"],
    "004_67c174f4a274d58e.txt": ["Inspektionsdelegation 1907", "im Jahr 2025", "über 14 %",
                                 "14. Nationalen Parteikongress", "2026–2030", "[Anzeige_2]"],
}

ANN_RE = re.compile(r"⟦([^⟦⟧]*)⟧")


class Doc:
    def __init__(self, path: Path):
        self.path = path
        self.folder = path.parent.name
        self.errors: list[str] = []
        self.warnings: list[str] = []
        raw = path.read_bytes().decode("utf-8")
        self.meta: dict[str, str] = {}
        self.traps: list[str] = []
        lines = raw.split("\n")
        i = 0
        while i < len(lines) and lines[i].startswith("%% "):
            self._meta_line(lines[i][3:])
            i += 1
        body = "\n".join(lines[i:])
        self.body = body
        self.anns: list[dict] = []
        out = []
        pos = 0
        for m in ANN_RE.finditer(body):
            out.append(body[pos:m.start()])
            start = sum(len(x) for x in out)
            parts = m.group(1).split("|")
            surface, attrs = parts[0], {}
            for p in parts[1:]:
                if "=" not in p:
                    self.errors.append(f"bad attr {p!r} in {m.group(0)!r}")
                    continue
                k, v = p.split("=", 1)
                if k in attrs:
                    self.errors.append(f"duplicate key {k} in {m.group(0)!r}")
                attrs[k] = v
            out.append(surface)
            self.anns.append({"surface": surface, "attrs": attrs, "start": start,
                              "end": start + len(surface), "raw": m.group(0)})
            pos = m.end()
        out.append(body[pos:])
        self.plain = "".join(out)
        if "⟦" in self.plain or "⟧" in self.plain:
            self.errors.append("unbalanced ⟦ ⟧")
        self.lang = self.meta.get("lang")
        self.self_id = self.meta.get("self")

    def _meta_line(self, s: str):
        if s.startswith("note="):
            note = s[5:]
            self.meta["note"] = note
            if note.startswith("traps:"):
                self.traps += [t.strip() for t in note[6:].split(";;") if t.strip()]
            return
        for pair in s.split():
            if "=" not in pair:
                self.errors.append(f"bad meta {pair!r}")
                continue
            k, v = pair.split("=", 1)
            if k not in META_KEYS:
                self.errors.append(f"unknown meta key {k}")
            self.meta[k] = v

    # ------------------------------------------------------------------ checks
    def check(self):
        e = self.errors
        if self.lang not in LANGS:
            e.append(f"lang missing/unknown: {self.lang}")
        if self.self_id and not valid_id(self.self_id):
            e.append(f"bad self id {self.self_id}")
        if "self_date" in self.meta and not valid_date(self.meta["self_date"]):
            e.append(f"bad self_date {self.meta['self_date']}")
        if self.self_id and "self_date" not in self.meta:
            e.append("self without self_date")
        ids_in_text = {a["attrs"].get("id") for a in self.anns}
        for a in self.anns:
            at, raw = a["attrs"], a["raw"]
            if not a["surface"].strip():
                e.append(f"empty surface {raw}")
            if a["surface"] != a["surface"].strip():
                e.append(f"surface has outer spaces {raw}")
            for k in at:
                if k not in KEYS:
                    e.append(f"unknown key {k} in {raw}")
            if "date" in at and not valid_date(at["date"]):
                e.append(f"bad date {raw}")
            if "id" not in at:
                # standalone date
                if set(at) != {"date"}:
                    e.append(f"annotation without id must be date only: {raw}")
                if not re.search(r"\d", a["surface"]):
                    e.append(f"date surface without digits: {raw}")
                continue
            i = at["id"]
            if i != "?" and not valid_id(i):
                e.append(f"non-canonical id {raw}")
            if i == self.self_id:
                e.append(f"self id annotated as reference: {raw}")
            rel = at.get("rel")
            if rel not in RELS:
                e.append(f"missing/unknown rel {raw}")
            if "src" in at:
                if rel == "cites":
                    e.append(f"src with cites {raw}")
                if at["src"] not in ids_in_text:
                    e.append(f"src not mentioned in text {raw}")
                if at["src"] == i:
                    e.append(f"src == id {raw}")
            elif rel not in (None, "cites") and not self.self_id:
                e.append(f"relation without src in a text without self {raw}")
            if "by" in at and at["by"] not in BYS:
                e.append(f"unknown by {raw}")
            if "amb" in at:
                if at["amb"] != "1":
                    e.append(f"amb must be 1 {raw}")
                if "date" in at or "year" in at:
                    e.append(f"amb with date/year {raw}")
            if "year" in at:
                if not re.fullmatch(r"(19|20)\d\d", at["year"]):
                    e.append(f"bad year {raw}")
                if "date" in at:
                    e.append(f"year together with date {raw}")
            if i in MULTI and not ({"date", "year", "amb"} & set(at)):
                e.append(f"multi-document id without date/year/amb {raw}")
            if "date" in at and "year" not in at and i in MULTI:
                pass
        # same id (not MULTI) with two different dates in one text
        dates = defaultdict(set)
        for a in self.anns:
            at = a["attrs"]
            if "id" in at and "date" in at:
                dates[at["id"]].add(at["date"])
        for i, ds in dates.items():
            if len(ds) > 1 and i not in MULTI:
                e.append(f"{i} has several dates {sorted(ds)}")
        # traps
        occupied = [(a["start"], a["end"]) for a in self.anns]
        for t in self.traps + SEED_TRAPS.get(self.path.name, []) * (self.folder == "seeds"):
            found = False
            pat = "|".join(re.escape(x) for x in {t, unicodedata.normalize("NFD", t)})
            for m in re.finditer(pat, self.plain):
                if not any(s < m.end() and m.start() < en for s, en in occupied):
                    found = True
                    break
            if not found:
                e.append(f"trap not found outside annotations: {t!r}")
        if self.folder in ("dev", "heldout"):
            n = len(self.plain.split())
            if not 150 <= n <= 900:
                e.append(f"word count {n} outside 150-900")
            if "\r" in self.plain:
                e.append("CR in text")
        self.lint(occupied)
        self.check_attached_dates(occupied)

    def check_attached_dates(self, occupied):
        """Every full date written outside annotations must belong to the reference just before it
        (which then carries the same date=), unless it is listed as a trap."""
        text = unicodedata.normalize("NFC", self.plain) if len(unicodedata.normalize("NFC", self.plain)) == len(self.plain) else self.plain
        found = list(find_dates(text))
        for a in self.anns:
            at = a["attrs"]
            if "date" not in at:
                continue
            if "id" not in at:
                isos = [iso for m, iso in find_dates(a["surface"])]
                if isos != [at["date"]]:
                    self.errors.append(f"standalone date surface does not parse to date=: {a['raw']}")
                continue
            after = text[a["end"]:a["end"] + 90]
            near = [iso for m, iso in found if a["end"] <= m.start() < a["end"] + 90
                    and not any(b["start"] < m.start() and b is not a and b["start"] >= a["end"] for b in self.anns)]
            if at["date"] not in near and not re.match(r"\W{0,3}(cùng ngày|the same day|vom selben Tag)", after):
                self.errors.append(f"date= without that date written right after the mention: {a['raw']}")
        for m, iso in found:
            if any(s < m.end() and m.start() < en for s, en in occupied):
                continue
            if any(m.group(0) in t for t in self.traps):
                continue
            if self.self_id and m.start() < 700 and iso == self.meta.get("self_date"):
                continue
            prev = [a for a in self.anns if a["end"] <= m.start()]
            if not prev or m.start() - prev[-1]["end"] > 90 or "id" not in prev[-1]["attrs"]:
                self.errors.append(f"date {m.group(0)!r} neither annotated nor attached to a reference")
            elif prev[-1]["attrs"].get("date") != iso:
                self.errors.append(f"date {m.group(0)!r} after {prev[-1]['raw']} but date= differs")

    def lint(self, occupied):
        """Warn about reference-like or date-like strings left outside annotations."""
        pats = [
            r"\d+\s*[-–]?\s*(?:NQ|CT|KL|QĐ|QÐ|QD|QĐi|HD|CTr|Ctr|KH|TB|BC|ĐA|DA|CV|nq|ct|kl|qđ)\s*[/-]\s*[A-Za-zĐÐƯ]+",
            r"(?<![/\d])\d+/\d{4}/[A-ZĐ]",
            r"(?<![/\d])\d+/(?:QĐ|QD|KH|NQ|CT|TB|HD|TTr|BC|UBND|CV)-",
            r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d\b",
            r"\b\d{1,2}\.? (?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) (?:19|20)\d\d",
            r"(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, (?:19|20)\d\d",
            r"ngày \d{1,2} tháng \d{1,2} năm \d{4}",
            r"(?i)\b(?:nghị quyết|kết luận|chỉ thị|quy định|quyết định|kế hoạch|chương trình|hướng dẫn|đề án|resolutions?|conclusions?|directives?|regulations?|decrees?|decisions?|plans?|programs?|richtlinien?|schlussfolgerung(?:en)?|beschlu(?:ss|sses)|verordnung(?:en)?|dekrets?|resolutionen)(?: số| No\.| Nr\.)? \d+\b",
        ]
        for p in pats:
            for m in re.finditer(p, self.plain):
                if any(s < m.end() and m.start() < en for s, en in occupied):
                    continue
                if self.self_id and m.start() < 700 and re.findall(r"\d+", m.group(0))[:1] == re.findall(r"\d+", self.self_id)[:1]:
                    continue  # the text's own number in its header
                # a date attached to the preceding reference (which carries date=) is fine
                prev = [a for a in self.anns if a["end"] <= m.start() and "date" in a["attrs"] and "id" in a["attrs"]]
                if prev and m.start() - prev[-1]["end"] < 90 and 3 <= pats.index(p) <= 6:
                    continue
                ctx = self.plain[max(0, m.start() - 40):m.end() + 20].replace("\n", " ")
                self.warnings.append(f"unannotated? {m.group(0)!r}  …{ctx}…")


MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
             "october", "november", "december"]
MONTHS_DE = ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
             "oktober", "november", "dezember"]


def find_dates(text):
    """Yield (match, iso) for full dates (day, month, year) in the formats used here."""
    pats = [
        (r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)(?![\d/])", lambda g: (g[2], g[1], g[0])),
        (r"(\d{1,2}) tháng (\d{1,2}) năm ((?:19|20)\d\d)", lambda g: (g[2], g[1], g[0])),
        (r"(?i)\b(" + "|".join(MONTHS_EN) + r") (\d{1,2}), ((?:19|20)\d\d)",
         lambda g: (g[2], MONTHS_EN.index(g[0].lower()) + 1, g[1])),
        (r"(?i)\b(\d{1,2})\. (" + "|".join(MONTHS_DE) + r") ((?:19|20)\d\d)",
         lambda g: (g[2], MONTHS_DE.index(g[1].lower()) + 1, g[0])),
    ]
    for p, f in pats:
        for m in re.finditer(p, text):
            y, mo, d = f(m.groups())
            try:
                yield m, _dt.date(int(y), int(mo), int(d)).isoformat()
            except ValueError:
                continue


def valid_date(s: str) -> bool:
    try:
        _dt.date.fromisoformat(s)
        return re.fullmatch(r"\d{4}-\d\d-\d\d", s) is not None
    except ValueError:
        return False


def valid_id(i: str) -> bool:
    return bool(PARTY_RE.match(i) or STATE_LEGAL_RE.match(i) or STATE_LAW_RE.match(i)
                or STATE_ADMIN_RE.match(i))


def load_all():
    docs = []
    for f in FOLDERS:
        for p in sorted((HERE / f).glob("*.txt")):
            d = Doc(p)
            d.check()
            docs.append(d)
    return docs


def check_seeds(docs):
    errs = []
    names = {d.path.name: d for d in docs if d.folder == "seeds"}
    for src in sorted(SEED_SRC.glob("*.txt")):
        d = names.get(src.name)
        if d is None:
            errs.append(f"seed {src.name} not annotated")
            continue
        if set(d.meta) - {"lang"}:
            errs.append(f"seeds/{src.name}: only lang= metadata allowed")
        if d.plain.encode("utf-8") != src.read_bytes():
            errs.append(f"seeds/{src.name}: stripped text differs from the seed")
    return errs


def table(docs):
    rels_order = [r for r in RELS]
    groups = ([(f, [d for d in docs if d.folder == f]) for f in FOLDERS]
              + [("dev+heldout", [d for d in docs if d.folder != "seeds"]), ("all", docs)])
    out = []
    hdr = ["folder", "lang", "texts", "words", "mentions", "dates", "traps", "amb", "year=", "by=", "src="] + rels_order
    out.append("| " + " | ".join(hdr) + " |")
    out.append("|" + "---|" * len(hdr))
    for gname, gdocs in groups:
        for lang in LANGS + ["total"]:
            ds = [d for d in gdocs if lang == "total" or d.lang == lang]
            ment = [a for d in ds for a in d.anns if "id" in a["attrs"]]
            dates = [a for d in ds for a in d.anns if "id" not in a["attrs"]]
            traps = sum(len(d.traps) + (len(SEED_TRAPS.get(d.path.name, [])) if d.folder == "seeds" else 0) for d in ds)
            rc = Counter(a["attrs"].get("rel") for a in ment)
            amb = sum(1 for a in ment if a["attrs"].get("amb") == "1")
            src = sum(1 for a in ment if "src" in a["attrs"])
            yr = sum(1 for a in ment if "year" in a["attrs"])
            by = sum(1 for a in ment if "by" in a["attrs"])
            words = sum(len(d.plain.split()) for d in ds)
            out.append("| " + " | ".join([gname, lang, str(len(ds)), str(words), str(len(ment)), str(len(dates)),
                                          str(traps), str(amb), str(yr), str(by), str(src)] + [str(rc[r]) for r in rels_order]) + " |")
    return "\n".join(out)


def main():
    strict = "--strict" in sys.argv
    docs = load_all()
    nerr = 0
    for d in docs:
        for e in d.errors:
            print(f"ERROR {d.folder}/{d.path.name}: {e}")
            nerr += 1
        if "-q" not in sys.argv:
            for w in d.warnings:
                print(f"warn  {d.folder}/{d.path.name}: {w}")
    for e in check_seeds(docs):
        print("ERROR " + e)
        nerr += 1
    if "--table" in sys.argv:
        print(table(docs))
        return
    print()
    print(table(docs))
    dh = [a for d in docs if d.folder in ("dev", "heldout") for a in d.anns if "id" in a["attrs"]]
    by_lang = Counter(d.lang for d in docs if d.folder in ("dev", "heldout") for a in d.anns if "id" in a["attrs"])
    print()
    print("dev+heldout mentions:", len(dh), {k: f"{v} ({100 * v / max(1, len(dh)):.1f}%)" for k, v in by_lang.items()})
    print("errors:", nerr)
    if strict and nerr:
        sys.exit(1)


if __name__ == "__main__":
    main()
