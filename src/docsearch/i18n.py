"""The interface's languages: Vietnamese first, English and German.

Messages are looked up by their English text (the message id), so a
template reads ``{{ t("Search") }}`` and an untranslated message shows in
English rather than as a code. Placeholders use :meth:`str.format`:
``t("{n} documents", n=3)``. Relation names, levels, document types and
dates (``dd/mm/yyyy``; ``dd.mm.yyyy`` in German) have their own helpers.

    from docsearch.i18n import translator
    t = translator("vi")
    t("Search")                       # 'Tìm kiếm'
    t.relation("implements")          # 'thực hiện'
    t.date(date(2024, 12, 22))        # '22/12/2024'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from markupsafe import Markup, escape

from . import relation_types

#: Languages of the interface, the default first.
LANGUAGES: tuple[str, ...] = ("vi", "en", "de")
DEFAULT_LANGUAGE = "vi"
#: How each language names itself in the language switch.
LANGUAGE_NAMES: dict[str, str] = {"vi": "Tiếng Việt", "en": "English", "de": "Deutsch"}

# English message -> (Vietnamese, German). German is given where it is cheap;
# an empty German entry falls back to English.
_MESSAGES: dict[str, tuple[str, str]] = {
    # frame
    "Skip to content": ("Chuyển đến nội dung", "Zum Inhalt"),
    "Search": ("Tìm kiếm", "Suchen"),
    "Search documents": ("Tìm văn bản", "Dokumente suchen"),
    "Home": ("Trang chủ", "Start"),
    "Issuers": ("Cơ quan ban hành", "Herausgeber"),
    "Types": ("Loại văn bản", "Typen"),
    "Years": ("Năm", "Jahre"),
    "Texts": ("Tệp văn bản", "Texte"),
    "Coverage": ("Mức độ triển khai", "Umsetzung"),
    "Implementation": ("Triển khai thực hiện", "Umsetzung"),
    "Check a draft": ("Kiểm tra dự thảo", "Entwurf prüfen"),
    "Language": ("Ngôn ngữ", "Sprache"),
    "Search: 57-NQ/TW, chuyển đổi số…": ("Tìm: 57-NQ/TW, chuyển đổi số…", "Suche: 57-NQ/TW, chuyển đổi số…"),
    "Built by docsearch {version} from the documents in its index. Relations are as the texts state them, not verified.":
        ("Tạo bởi docsearch {version} từ các văn bản trong chỉ mục. Quan hệ giữa các văn bản được ghi nhận theo "
         "lời văn của chính văn bản, chưa được thẩm định.",
         "Erstellt von docsearch {version} aus den Dokumenten des Index. Beziehungen wie von den Texten "
         "angegeben, nicht geprüft."),
    "Served by docsearch {version} from the index; read-only. Relations are as the texts state them, not verified.":
        ("docsearch {version} phục vụ từ chỉ mục, chỉ đọc. Quan hệ giữa các văn bản được ghi nhận theo lời văn "
         "của chính văn bản, chưa được thẩm định.",
         "docsearch {version} liest den Index nur. Beziehungen wie von den Texten angegeben, nicht geprüft."),
    # home
    "Official documents and their cross-references": ("Văn bản và quan hệ dẫn chiếu giữa các văn bản",
                                                       "Amtliche Dokumente und ihre Verweise"),
    "Search every document, its number, title, issuer and text (with or without diacritics)":
        ("Tìm theo số hiệu, trích yếu, cơ quan ban hành và nội dung (có hoặc không dấu)",
         "Suche in Nummer, Titel, Herausgeber und Text (mit oder ohne diakritische Zeichen)"),
    "e.g. Nghị quyết 57, chuyen doi so, Quảng Ninh": ("ví dụ: Nghị quyết 57, chuyen doi so, Quảng Ninh",
                                                       "z. B. Nghị quyết 57, chuyen doi so, Quảng Ninh"),
    "What the collection holds": ("Kho văn bản gồm", "Inhalt der Sammlung"),
    "stored texts": ("tệp văn bản", "gespeicherte Texte"),
    "{n} without a document number: news, web pages": ("{n} tệp không có số hiệu: tin bài, trang web",
                                                        "{n} ohne Dokumentnummer: Nachrichten, Webseiten"),
    "documents identified by their header": ("văn bản xác định được số hiệu từ phần đầu",
                                             "Dokumente, die ihr Kopf identifiziert"),
    "documents known only from citations": ("văn bản chỉ biết qua trích dẫn", "nur aus Zitaten bekannte Dokumente"),
    "relations between documents": ("quan hệ giữa các văn bản", "Beziehungen zwischen Dokumenten"),
    "central documents with implementing documents": ("văn bản Trung ương đã có văn bản triển khai",
                                                      "zentrale Dokumente mit Umsetzungsdokumenten"),
    "coverage matrix": ("bảng mức độ triển khai", "Umsetzungsmatrix"),
    "Recent documents": ("Văn bản mới", "Neue Dokumente"),
    "Languages of the texts": ("Ngôn ngữ của văn bản", "Sprachen der Texte"),
    "By type": ("Theo loại", "Nach Typ"),
    "By issuer": ("Theo cơ quan ban hành", "Nach Herausgeber"),
    "By year": ("Theo năm", "Nach Jahr"),
    "Type": ("Loại", "Typ"),
    "Issuer": ("Cơ quan ban hành", "Herausgeber"),
    "Year": ("Năm", "Jahr"),
    "Level": ("Cấp", "Ebene"),
    "Stored": ("Có văn bản", "Gespeichert"),
    "Cited": ("Được trích dẫn", "Zitiert"),
    "All issuers ({n} more)": ("Tất cả cơ quan ({n} cơ quan nữa)", "Alle Herausgeber ({n} weitere)"),
    "Name": ("Tên", "Name"),
    "In the collection": ("Có trong kho", "In der Sammlung"),
    "Known from citations": ("Biết qua trích dẫn", "Aus Zitaten bekannt"),
    "{n} in all.": ("Tổng cộng {n}.", "Insgesamt {n}."),
    "cited only": ("chỉ được trích dẫn", "nur zitiert"),
    "ambiguous": ("chưa rõ văn bản nào", "mehrdeutig"),
    "Pages": ("Trang", "Seiten"),
    # listings (headings built by the site)
    "Documents by issuer": ("Văn bản theo cơ quan ban hành", "Dokumente nach Herausgeber"),
    "Documents by type": ("Văn bản theo loại", "Dokumente nach Typ"),
    "Documents by year": ("Văn bản theo năm", "Dokumente nach Jahr"),
    "Issuing bodies, most documents first.": ("Các cơ quan ban hành, nhiều văn bản nhất trước.",
                                              "Herausgeber, die mit den meisten Dokumenten zuerst."),
    "Document types, most documents first.": ("Các loại văn bản, nhiều văn bản nhất trước.",
                                              "Dokumenttypen, die häufigsten zuerst."),
    "Years of issue, most recent first.": ("Năm ban hành, gần nhất trước.", "Jahre, die jüngsten zuerst."),
    "Documents issued by this body, in the collection first, then known from citations; most recent first.":
        ("Văn bản do cơ quan này ban hành: văn bản có trong kho trước, rồi văn bản biết qua trích dẫn; "
         "mới nhất trước.",
         "Dokumente dieses Herausgebers: zuerst die gespeicherten, dann die zitierten; die jüngsten zuerst."),
    "Documents of this type.": ("Văn bản thuộc loại này.", "Dokumente dieses Typs."),
    "Documents issued this year.": ("Văn bản ban hành trong năm.", "In diesem Jahr erlassene Dokumente."),
    "Stored texts": ("Các tệp văn bản", "Gespeicherte Texte"),
    "Every file in the collection, by path.": ("Mọi tệp trong kho, theo đường dẫn.",
                                               "Alle Dateien der Sammlung, nach Pfad."),
    "Documents of unknown type": ("Văn bản chưa rõ loại", "Dokumente unbekannten Typs"),
    "Undated documents": ("Văn bản chưa rõ ngày", "Undatierte Dokumente"),
    "Documents of {year}": ("Văn bản năm {year}", "Dokumente von {year}"),
    "unknown type": ("chưa rõ loại", "unbekannter Typ"),
    "undated": ("chưa rõ ngày", "undatiert"),
    "page {n}": ("trang {n}", "Seite {n}"),
    # search
    "Words, a number (57-NQ/TW), an issuer or a place; diacritics are optional":
        ("Từ khóa, số hiệu (57-NQ/TW), cơ quan ban hành hoặc địa danh; không cần gõ dấu",
         "Wörter, eine Nummer (57-NQ/TW), ein Herausgeber oder Ort; Diakritika sind optional"),
    "Search runs in the browser and needs JavaScript; the listings by issuer, type and year work without it.":
        ("Tìm kiếm chạy trong trình duyệt và cần JavaScript; danh sách theo cơ quan, loại và năm vẫn dùng được "
         "khi không có JavaScript.",
         "Die Suche läuft im Browser und braucht JavaScript; die Listen nach Herausgeber, Typ und Jahr nicht."),
    "More results": ("Thêm kết quả", "Weitere Treffer"),
    "{n} documents for": ("{n} văn bản cho", "{n} Dokumente für"),
    "{n} documents match": ("{n} văn bản khớp với", "{n} Dokumente passen zu"),
    "No document matches": ("Không có văn bản nào khớp với", "Kein Dokument passt zu"),
    "results {first}–{last} of {total}": ("kết quả {first}–{last} trên {total}", "Treffer {first}–{last} von {total}"),
    "Filters": ("Bộ lọc", "Filter"),
    "language": ("ngôn ngữ", "Sprache"),
    "type": ("loại", "Typ"),
    "issuer": ("cơ quan ban hành", "Herausgeber"),
    "level": ("cấp", "Ebene"),
    "year": ("năm", "Jahr"),
    "Previous": ("Trang trước", "Zurück"),
    "Next": ("Trang sau", "Weiter"),
    "Still typing: results for": ("Đang gõ: kết quả cho", "Noch beim Tippen: Treffer für"),
    "Understood as": ("Hiểu là", "Verstanden als"),
    "'{text}' may mean {candidates}; add a date or year:": ("'{text}' có thể là {candidates}; hãy thêm ngày hoặc năm:",
                                                            "'{text}' kann {candidates} meinen; Datum oder Jahr angeben:"),
    "is this document": ("chính là văn bản này", "ist dieses Dokument"),
    "Query language: words (all must match), \"exact phrases\", OR, -word, and filters type:NQ "
    "issuer:\"Quảng Ninh\" level:provincial lang:en year:2024..2025 cites:57-NQ/TW implements:57-NQ/TW.":
        ("Cú pháp: các từ (phải có tất cả), \"cụm từ chính xác\", OR, -từ loại trừ, và bộ lọc type:NQ "
         "issuer:\"Quảng Ninh\" level:provincial lang:en year:2024..2025 cites:57-NQ/TW implements:57-NQ/TW.",
         "Abfragesprache: Wörter (alle müssen passen), \"genaue Phrasen\", OR, -Wort und Filter type:NQ "
         "issuer:\"Quảng Ninh\" level:provincial lang:en year:2024..2025 cites:57-NQ/TW implements:57-NQ/TW."),
    "Type letters or digits to search.": ("Hãy gõ chữ hoặc số để tìm.", "Buchstaben oder Ziffern eingeben."),
    "Searching…": ("Đang tìm…", "Suche…"),
    "Search failed: {error}": ("Không tìm được: {error}", "Suche fehlgeschlagen: {error}"),
    "Very common words were not used to filter: {words}.": ("Các từ quá phổ biến không được dùng để lọc: {words}.",
                                                            "Sehr häufige Wörter filtern nicht: {words}."),
    "Filters this page cannot apply: {filters}.": ("Bộ lọc trang này chưa áp dụng được: {filters}.",
                                                   "Filter, die diese Seite nicht anwenden kann: {filters}."),
    "score": ("điểm", "Punkte"),
    # document
    "Not in the collection: known from {n} citing documents or texts.":
        ("Không có trong kho: biết qua {n} văn bản hoặc tệp trích dẫn.",
         "Nicht in der Sammlung: bekannt aus {n} zitierenden Dokumenten oder Texten."),
    "These citations name {id} without saying which of the documents with this number they mean.":
        ("Các trích dẫn này nêu {id} mà không cho biết là văn bản nào trong số các văn bản cùng số hiệu.",
         "Diese Zitate nennen {id}, ohne zu sagen, welches der Dokumente mit dieser Nummer gemeint ist."),
    "On this page": ("Trên trang này", "Auf dieser Seite"),
    "Refers to": ("Dẫn chiếu đến", "Verweist auf"),
    "Referred to by": ("Được dẫn chiếu bởi", "Verwiesen von"),
    "Text": ("Toàn văn", "Text"),
    "Graph": ("Sơ đồ", "Graph"),
    "About this document": ("Thông tin văn bản", "Über dieses Dokument"),
    "About this text": ("Thông tin tệp", "Über diesen Text"),
    "Number": ("Số hiệu", "Nummer"),
    "key": ("khóa", "Schlüssel"),
    "Date": ("Ngày ban hành", "Datum"),
    "unknown": ("chưa rõ", "unbekannt"),
    "Place": ("Địa danh", "Ort"),
    "Status": ("Hiệu lực", "Status"),
    "Title": ("Trích yếu", "Titel"),
    "File": ("Tệp", "Datei"),
    "Format": ("Định dạng", "Format"),
    "Size": ("Kích thước", "Größe"),
    "Warnings": ("Cảnh báo", "Warnungen"),
    "Read by OCR": ("Đọc bằng OCR", "Per OCR gelesen"),
    "read by OCR": ("đọc bằng OCR", "per OCR gelesen"),
    "Other copy": ("Bản khác", "Weitere Kopie"),
    "Could be": ("Có thể là", "Könnte sein"),
    "Same number": ("Cùng số hiệu", "Gleiche Nummer"),
    "{pages} pages, {chars} characters": ("{pages} trang, {chars} ký tự", "{pages} Seiten, {chars} Zeichen"),
    "What the sources say": ("Các nguồn ghi nhận", "Was die Quellen sagen"),
    "they disagree on {fields}": ("các nguồn khác nhau về {fields}", "sie widersprechen sich bei {fields}"),
    "Field": ("Trường", "Feld"),
    "Value": ("Giá trị", "Wert"),
    "Stated by": ("Nguồn", "Quelle"),
    "and {n} more": ("và {n} nguồn khác", "und {n} weitere"),
    "{count} documents from {issuers} issuers implement this document, are based on it, guide or review its implementation":
        ("{count} văn bản của {issuers} cơ quan thực hiện, căn cứ, hướng dẫn hoặc tổng kết văn bản này",
         "{count} Dokumente von {issuers} Herausgebern setzen dieses Dokument um, stützen sich darauf, "
         "leiten oder bewerten seine Umsetzung"),
    "median delay {days} days": ("thời gian trung vị {days} ngày", "Median-Verzögerung {days} Tage"),
    "Implementing documents per month after this document, one row per issuer; the larger the dot, the more documents.":
        ("Văn bản triển khai theo từng tháng sau văn bản này, mỗi dòng một cơ quan; chấm càng lớn, càng nhiều văn bản.",
         "Umsetzungsdokumente je Monat nach diesem Dokument, eine Zeile je Herausgeber; je größer der Punkt, "
         "desto mehr Dokumente."),
    "see more ({n})": ("xem thêm ({n})", "mehr anzeigen ({n})"),
    "and {n} more documents": ("và {n} văn bản khác", "und {n} weitere Dokumente"),
    "Other issuers": ("Các cơ quan ban hành khác", "Weitere Herausgeber"),
    "all issuers": ("tất cả cơ quan ban hành", "alle Herausgeber"),
    "Number of documents": ("Số văn bản", "Anzahl der Dokumente"),
    "First": ("Sớm nhất", "Erstes"),
    "Latest": ("Gần nhất", "Letztes"),
    "Implementing documents by issuer": ("Văn bản triển khai theo cơ quan ban hành",
                                         "Umsetzungsdokumente nach Herausgeber"),
    "Document": ("Văn bản", "Dokument"),
    "Relation": ("Quan hệ", "Beziehung"),
    "Delay": ("Số ngày", "Verzögerung"),
    "Evidence": ("Dẫn chứng", "Beleg"),
    "sentence": ("câu văn", "Satz"),
    "{n} committees in the collection with no implementing document found":
        ("{n} cấp ủy, cơ quan trong kho chưa có văn bản triển khai",
         "{n} Komitees der Sammlung ohne gefundenes Umsetzungsdokument"),
    "Mentioned in": ("Được nhắc đến trong", "Erwähnt in"),
    "Also stated in this text": ("Các quan hệ khác nêu trong văn bản", "Außerdem in diesem Text angegeben"),
    "Relations this text states": ("Các quan hệ văn bản này nêu", "Beziehungen, die dieser Text angibt"),
    "Also named in the text": ("Văn bản khác được nêu trong toàn văn", "Außerdem im Text genannt"),
    "Documents named in the text": ("Các văn bản được nêu trong toàn văn", "Im Text genannte Dokumente"),
    "{n} times, first here": ("{n} lần, lần đầu ở đây", "{n}-mal, zuerst hier"),
    "first here": ("lần đầu ở đây", "zuerst hier"),
    "References are links to the documents they name; the colour is the relation the sentence states.":
        ("Mỗi trích dẫn là liên kết đến văn bản được nêu; màu là loại quan hệ câu văn nêu.",
         "Verweise verlinken die genannten Dokumente; die Farbe ist die Beziehung, die der Satz angibt."),
    "in its own text": ("trong chính văn bản", "im eigenen Text"),
    "stated in {where}": ("nêu trong {where}", "angegeben in {where}"),
    "where the text says so": ("chỗ văn bản nêu", "wo der Text es sagt"),
    "{n} more": ("{n} văn bản nữa", "{n} weitere"),
    "A copy of {doc}; its page shows everything known of the document.":
        ("Một bản của {doc}; trang của văn bản đó có đầy đủ thông tin.",
         "Eine Kopie von {doc}; seine Seite zeigt alles Bekannte."),
    "A text without a document number of its own (news, a web page, an unsigned draft): the documents it names are linked below.":
        ("Tệp không có số hiệu riêng (tin bài, trang web, dự thảo): các văn bản được nêu có liên kết bên dưới.",
         "Ein Text ohne eigene Nummer (Nachricht, Webseite, Entwurf): die genannten Dokumente sind unten verlinkt."),
    "Documents linked to {key}": ("Các văn bản liên quan đến {key}", "Mit {key} verknüpfte Dokumente"),
    "Graph of {key}": ("Sơ đồ của {key}", "Graph von {key}"),
    "Relation colours": ("Màu quan hệ", "Farben der Beziehungen"),
    "Level colours": ("Màu cấp", "Farben der Ebenen"),
    "Arrows point from a document to the document it implements, is based on, cites…; filled circles are "
    "documents in the collection, hollow ones are known from citations.":
        ("Mũi tên đi từ một văn bản đến văn bản nó thực hiện, căn cứ, viện dẫn…; vòng tròn đặc là văn bản có trong "
         "kho, vòng tròn rỗng là văn bản biết qua trích dẫn.",
         "Pfeile zeigen vom Dokument auf das, was es umsetzt, worauf es sich stützt, was es zitiert…; volle Kreise "
         "sind gespeicherte Dokumente, hohle nur zitierte."),
    "{n} more linked documents are not drawn: the document page lists them all.":
        ("{n} văn bản liên quan khác không được vẽ: trang văn bản liệt kê đầy đủ.",
         "{n} weitere verknüpfte Dokumente sind nicht gezeichnet: die Dokumentseite listet alle."),
    "Unknown {name} value {value}: use one of {known}.":
        ("Không rõ giá trị {value} của {name}: hãy dùng một trong {known}.",
         "Unbekannter Wert {value} für {name}: einer von {known}."),
    # the pictures (timeline and neighbourhood)
    "Days from {doc} ({date}) to each implementing document, by issuer":
        ("Số ngày từ {doc} ({date}) đến từng văn bản triển khai, theo cơ quan ban hành",
         "Tage von {doc} ({date}) bis zu jedem Umsetzungsdokument, nach Herausgeber"),
    "Implementing documents of {doc} ({date}) per month, by issuer":
        ("Văn bản triển khai {doc} ({date}) theo tháng, theo cơ quan ban hành",
         "Umsetzungsdokumente zu {doc} ({date}) je Monat, nach Herausgeber"),
    "{month}: {n} documents": ("tháng {month}: {n} văn bản", "{month}: {n} Dokumente"),
    "and {n} more issuers (see the table)": ("và {n} cơ quan ban hành khác (xem bảng)",
                                             "und {n} weitere Herausgeber (siehe Tabelle)"),
    "issuer not stated: {hint}": ("chưa nêu cơ quan ban hành: {hint}", "Herausgeber nicht angegeben: {hint}"),
    "known from citations": ("biết qua trích dẫn", "nur aus Zitaten bekannt"),
    "in the collection": ("có trong kho", "in der Sammlung"),
    "text without a document number": ("tệp không có số hiệu", "Text ohne Dokumentnummer"),
    "copy of {doc}": ("bản của {doc}", "Kopie von {doc}"),
    "the whole text": ("toàn văn", "den ganzen Text"),
    "Download": ("Tải xuống", "Herunterladen"),
    # coverage
    "Coverage matrix": ("Bảng mức độ triển khai", "Umsetzungsmatrix"),
    "Committee": ("Cấp ủy, cơ quan", "Komitee"),
    "no document yet": ("chưa có văn bản", "noch kein Dokument"),
    "evidence": ("dẫn chứng", "Beleg"),
    "evidence for {id}": ("dẫn chứng cho {id}", "Beleg für {id}"),
    "Central documents (columns, the most widely implemented first) and the committees that issued a "
    "document implementing them (rows). Each cell lists those documents with the days after the central one.":
        ("Văn bản Trung ương (cột, văn bản được triển khai rộng nhất trước) và các cấp ủy, cơ quan đã ban hành văn "
         "bản triển khai (dòng). Mỗi ô liệt kê văn bản triển khai và số ngày sau văn bản Trung ương.",
         "Zentrale Dokumente (Spalten, die am weitesten umgesetzten zuerst) und die Komitees, die ein "
         "Umsetzungsdokument erlassen haben (Zeilen). Jede Zelle nennt diese Dokumente mit den Tagen danach."),
    "{columns} central documents, {rows} committees.": ("{columns} văn bản Trung ương, {rows} cấp ủy, cơ quan.",
                                                        "{columns} zentrale Dokumente, {rows} Komitees."),
    "{n} committees with no implementing document for these columns":
        ("{n} cấp ủy, cơ quan chưa có văn bản triển khai các văn bản này",
         "{n} Komitees ohne Umsetzungsdokument für diese Spalten"),
    "No stored document states that it implements a central document.":
        ("Chưa có văn bản nào trong kho nêu việc thực hiện một văn bản Trung ương.",
         "Kein gespeichertes Dokument gibt an, ein zentrales Dokument umzusetzen."),
    "Coverage matrix, scrolls sideways": ("Bảng mức độ triển khai, cuộn ngang", "Umsetzungsmatrix, seitlich scrollbar"),
    "Coverage of {doc}": ("Mức độ triển khai {doc}", "Umsetzung von {doc}"),
    "Which committees have issued a document implementing it, when, and which have not.":
        ("Cấp ủy, cơ quan nào đã ban hành văn bản triển khai, khi nào, và nơi nào chưa.",
         "Welche Komitees ein Umsetzungsdokument erlassen haben, wann, und welche nicht."),
    "Central document": ("Văn bản Trung ương", "Zentrales Dokument"),
    "Group by": ("Nhóm theo", "Gruppieren nach"),
    "Depth": ("Độ sâu", "Tiefe"),
    "Show": ("Xem", "Anzeigen"),
    "First document": ("Văn bản đầu tiên", "Erstes Dokument"),
    "Days after": ("Số ngày sau", "Tage danach"),
    "Documents": ("Văn bản", "Dokumente"),
    "Have not issued an implementing document ({n})": ("Chưa ban hành văn bản triển khai ({n})",
                                                        "Ohne Umsetzungsdokument ({n})"),
    "Implementing documents whose issuer is not known": ("Văn bản triển khai chưa rõ cơ quan ban hành",
                                                         "Umsetzungsdokumente ohne bekannten Herausgeber"),
    "No committee has issued a document implementing it.": ("Chưa có cấp ủy, cơ quan nào ban hành văn bản triển khai.",
                                                             "Kein Komitee hat ein Umsetzungsdokument erlassen."),
    "The whole matrix": ("Toàn bộ bảng", "Die ganze Matrix"),
    # implements
    "Which documents implement": ("Văn bản nào thực hiện", "Welche Dokumente setzen um"),
    "Documents implementing {doc}": ("Văn bản thực hiện {doc}", "Dokumente, die {doc} umsetzen"),
    "Document (number or name)": ("Văn bản (số hiệu hoặc tên)", "Dokument (Nummer oder Name)"),
    "{n} documents implement it directly": ("{n} văn bản trực tiếp thực hiện", "{n} Dokumente setzen es direkt um"),
    "{n} in all down to depth {depth}": ("tổng cộng {n} đến độ sâu {depth}", "{n} insgesamt bis Tiefe {depth}"),
    "No stored text says that a document implements it, is based on it, guides or reviews it.":
        ("Chưa có văn bản nào trong kho nêu việc thực hiện, căn cứ, hướng dẫn hoặc tổng kết văn bản này.",
         "Kein gespeicherter Text sagt, dass ein Dokument es umsetzt, sich darauf stützt, es leitet oder bewertet."),
    "Give a document: 57-NQ/TW, \"Nghị quyết 57\", \"Resolution 57\".":
        ("Hãy nhập một văn bản: 57-NQ/TW, \"Nghị quyết 57\", \"Resolution 57\".",
         "Ein Dokument angeben: 57-NQ/TW, \"Nghị quyết 57\", \"Resolution 57\"."),
    "days": ("ngày", "Tage"),
    # check
    "Paste the text of a draft, or choose a DOCX, PDF or TXT file; every citation is checked against the index and the registry.":
        ("Dán nội dung dự thảo hoặc chọn tệp DOCX, PDF, TXT; mọi trích dẫn được đối chiếu với chỉ mục và danh mục "
         "văn bản.",
         "Text eines Entwurfs einfügen oder eine DOCX-, PDF- oder TXT-Datei wählen; jedes Zitat wird mit dem Index "
         "und dem Register abgeglichen."),
    "Draft text": ("Nội dung dự thảo", "Entwurfstext"),
    "or a file": ("hoặc một tệp", "oder eine Datei"),
    "Check": ("Kiểm tra", "Prüfen"),
    "Findings": ("Kết quả kiểm tra", "Befunde"),
    "No finding: every citation agrees with what is known.": ("Không phát hiện vấn đề: mọi trích dẫn khớp với dữ liệu đã biết.",
                                                              "Keine Befunde: jedes Zitat stimmt mit dem Bekannten überein."),
    "{errors} errors, {warnings} warnings, {infos} notes": ("{errors} lỗi, {warnings} cảnh báo, {infos} lưu ý",
                                                             "{errors} Fehler, {warnings} Warnungen, {infos} Hinweise"),
    "error": ("lỗi", "Fehler"),
    "warning": ("cảnh báo", "Warnung"),
    "info": ("lưu ý", "Hinweis"),
    "Suggestion": ("Gợi ý", "Vorschlag"),
    "Copy": ("Sao chép", "Kopieren"),
    "Apply": ("Áp dụng", "Übernehmen"),
    "Copied": ("Đã sao chép", "Kopiert"),
    "line {line}, column {column}": ("dòng {line}, cột {column}", "Zeile {line}, Spalte {column}"),
    "page {page}": ("trang {page}", "Seite {page}"),
    "The draft": ("Dự thảo", "Der Entwurf"),
    "Checked against the index {index}.": ("Đối chiếu với chỉ mục {index}.", "Abgeglichen mit dem Index {index}."),
    # errors
    "Error": ("Lỗi", "Fehler"),
    "Bad request": ("Yêu cầu không hợp lệ", "Ungültige Anfrage"),
    "Not found": ("Không tìm thấy", "Nicht gefunden"),
    "Upload too large": ("Tệp quá lớn", "Datei zu groß"),
    "Unsupported format": ("Định dạng không hỗ trợ", "Nicht unterstütztes Format"),
    "Sign-in needed": ("Cần mã truy cập", "Anmeldung nötig"),
    "Index unavailable": ("Chưa có chỉ mục", "Index nicht verfügbar"),
    "Something went wrong": ("Đã có lỗi", "Etwas ist schiefgegangen"),
    "Method not allowed": ("Phương thức không được hỗ trợ", "Methode nicht erlaubt"),
    "The server could not answer; the error was logged. Try again, or another page.":
        ("Máy chủ không trả lời được; lỗi đã được ghi lại. Hãy thử lại hoặc mở trang khác.",
         "Der Server konnte nicht antworten; der Fehler wurde protokolliert."),
    "Back to the start page": ("Về trang chủ", "Zur Startseite"),
    "No page at this address.": ("Không có trang nào ở địa chỉ này.", "Unter dieser Adresse gibt es keine Seite."),
    "This server needs an access token: open the address with ?token=… once, or send Authorization: Bearer ….":
        ("Máy chủ này yêu cầu mã truy cập: mở địa chỉ kèm ?token=… một lần, hoặc gửi Authorization: Bearer ….",
         "Dieser Server braucht ein Zugangstoken: die Adresse einmal mit ?token=… öffnen oder Authorization: "
         "Bearer … senden."),
    "'{query}' names {n} documents; say which:": ("'{query}' là số hiệu của {n} văn bản; hãy chọn một:",
                                                 "'{query}' bezeichnet {n} Dokumente; bitte eines wählen:"),
    "Did you mean": ("Có phải bạn muốn tìm", "Meinten Sie"),
    "Try a number such as 57-NQ/TW, #3 from the index, or search for it.":
        ("Hãy thử số hiệu như 57-NQ/TW, #3 trong chỉ mục, hoặc tìm kiếm.",
         "Eine Nummer wie 57-NQ/TW oder #3 versuchen, oder danach suchen."),
    # command line (text for people; JSON and CSV are the same in every language)
    "p.{page}": ("tr.{page}", "S.{page}"),
    "date unknown": ("chưa rõ ngày", "Datum unbekannt"),
    "no date": ("chưa rõ ngày", "ohne Datum"),
    "ambiguous: {ids}": ("chưa rõ văn bản nào: {ids}", "mehrdeutig: {ids}"),
    "also {relations}": ("đồng thời {relations}", "auch {relations}"),
    "+1 more text asserts it": ("thêm 1 văn bản khác cũng nêu", "+1 weiterer Text sagt es"),
    "+{n} more texts assert it": ("thêm {n} văn bản khác cũng nêu", "+{n} weitere Texte sagen es"),
    "1 document implements it directly": ("1 văn bản trực tiếp thực hiện", "1 Dokument setzt es direkt um"),
    "; lag = days after it.": ("; số ngày tính từ ngày ban hành văn bản này.", "; Verzögerung = Tage danach."),
    "Nothing in the index refers to it.": ("Chưa có văn bản nào trong chỉ mục dẫn chiếu đến văn bản này.",
                                           "Nichts im Index verweist darauf."),
    "document": ("văn bản", "Dokument"),
    "documents": ("văn bản", "Dokumente"),
    "date": ("ngày", "Datum"),
    "where": ("vị trí", "Fundstelle"),
    "relation": ("quan hệ", "Beziehung"),
    "title": ("trích yếu", "Titel"),
    "status": ("hiệu lực", "Status"),
    "mentioned in texts without a document number of their own ({n})":
        ("được nhắc đến trong tệp không có số hiệu riêng ({n})", "erwähnt in Texten ohne eigene Dokumentnummer ({n})"),
    "stored as": ("tệp lưu", "gespeichert als"),
    "not stored (known from citations)": ("không có trong kho (biết qua trích dẫn)",
                                          "nicht gespeichert (aus Zitaten bekannt)"),
    "what the sources say (! = they disagree)": ("các nguồn ghi nhận (! = các nguồn khác nhau)",
                                                 "was die Quellen sagen (! = sie widersprechen sich)"),
    "field": ("trường", "Feld"),
    "value": ("giá trị", "Wert"),
    "stated by": ("nguồn", "Quelle"),
    "place": ("địa danh", "Ort"),
    "conflicts: {fields}": ("các nguồn khác nhau về: {fields}", "Widersprüche: {fields}"),
    "refers to ({n})": ("dẫn chiếu đến ({n})", "verweist auf ({n})"),
    "referred to by ({n})": ("được dẫn chiếu bởi ({n})", "verwiesen von ({n})"),
    "other documents with the same number: {docs}": ("văn bản khác cùng số hiệu: {docs}",
                                                      "weitere Dokumente mit derselben Nummer: {docs}"),
    "committee": ("cấp ủy, cơ quan", "Komitee"),
    "first": ("sớm nhất", "erstes"),
    "lag": ("số ngày", "Verzögerung"),
    "No level has issued a document implementing it.": ("Chưa có cấp nào ban hành văn bản triển khai.",
                                                         "Keine Ebene hat ein Umsetzungsdokument erlassen."),
    "no implementing document from {n} known committees:": ("{n} cấp ủy, cơ quan đã biết chưa có văn bản triển khai:",
                                                             "kein Umsetzungsdokument von {n} bekannten Komitees:"),
    "no implementing document from {n} known levels:": ("{n} cấp đã biết chưa có văn bản triển khai:",
                                                        "kein Umsetzungsdokument von {n} bekannten Ebenen:"),
    "implementing documents whose issuer is not known:": ("văn bản triển khai chưa rõ cơ quan ban hành:",
                                                          "Umsetzungsdokumente ohne bekannten Herausgeber:"),
    "No stored text says that a committee implements a central document.":
        ("Chưa có văn bản nào trong kho nêu việc một cấp ủy, cơ quan thực hiện văn bản Trung ương.",
         "Kein gespeicherter Text sagt, dass ein Komitee ein zentrales Dokument umsetzt."),
    "implementers {first}-{last} of {total} (--limit/--offset for others)":
        ("văn bản thực hiện {first}-{last} trên {total} (--limit/--offset để xem phần khác)",
         "Umsetzende {first}-{last} von {total} (--limit/--offset für weitere)"),
    "entries {first}-{last} of {total} (--limit/--offset for others)":
        ("mục {first}-{last} trên {total} (--limit/--offset để xem phần khác)",
         "Einträge {first}-{last} von {total} (--limit/--offset für weitere)"),
    "{added} added, {updated} updated, {unchanged} unchanged, {removed} removed, {failed} failed in {seconds} s; "
    "the index holds {total} documents.":
        ("{added} thêm mới, {updated} cập nhật, {unchanged} không đổi, {removed} xóa, {failed} lỗi, trong {seconds} "
         "giây; chỉ mục có {total} văn bản.",
         "{added} neu, {updated} geändert, {unchanged} unverändert, {removed} entfernt, {failed} fehlgeschlagen in "
         "{seconds} s; der Index hält {total} Dokumente."),
    "removed: {path}": ("đã xóa: {path}", "entfernt: {path}"),
    "{n} duplicates: same content as a stored document, kept as its other paths":
        ("{n} bản trùng: cùng nội dung với một văn bản đã lưu, được ghi thành đường dẫn khác của văn bản đó",
         "{n} Duplikate: gleicher Inhalt wie ein gespeichertes Dokument, als dessen weitere Pfade geführt"),
    "{n} files of other types skipped": ("bỏ qua {n} tệp thuộc loại khác", "{n} Dateien anderer Art übersprungen"),
    "peak memory: {mb} MB": ("bộ nhớ dùng cao nhất: {mb} MB", "Spitzenspeicher: {mb} MB"),
    "a worker process {mb} MB": ("một tiến trình con {mb} MB", "ein Arbeitsprozess {mb} MB"),
    "index": ("chỉ mục", "Index"),
    "identified by header": ("xác định từ phần đầu", "durch Kopf identifiziert"),
    "characters": ("ký tự", "Zeichen"),
    "formats": ("định dạng", "Formate"),
    "languages": ("ngôn ngữ", "Sprachen"),
    "with warnings": ("có cảnh báo", "mit Warnungen"),
    "references": ("trích dẫn", "Verweise"),
    "relations": ("quan hệ", "Beziehungen"),
    "registry entries": ("mục trong danh mục", "Registereinträge"),
    "path": ("đường dẫn", "Pfad"),
    "same content": ("cùng nội dung", "gleicher Inhalt"),
    "format": ("định dạng", "Format"),
    "pages": ("số trang", "Seiten"),
    "own id": ("số hiệu", "eigene Nummer"),
    "{id} of {date}": ("{id} ngày {date}", "{id} vom {date}"),
    "text from OCR": ("đọc bằng OCR", "per OCR gelesen"),
    "source": ("văn bản nguồn", "Quelle"),
    "target": ("văn bản đích", "Ziel"),
    "at": ("vị trí", "Stelle"),
    "text": ("lời văn", "Text"),
    "id": ("số hiệu", "Nummer"),
    "resolution": ("xác định", "Auflösung"),
    "resolved": ("đã xác định", "aufgelöst"),
    "unresolved": ("chưa xác định", "nicht aufgelöst"),
    "named": ("nêu tên", "benannt"),
    "no references found": ("không tìm thấy trích dẫn nào", "keine Verweise gefunden"),
    "replaced by": ("bị thay thế bởi", "ersetzt durch"),
    "{n} registry entries imported; {retagged} documents re-tagged.":
        ("Đã nhập {n} mục vào danh mục; gắn thẻ lại {retagged} văn bản.",
         "{n} Registereinträge importiert; {retagged} Dokumente neu markiert."),
    "{total} documents for: {query}": ("{total} văn bản cho: {query}", "{total} Dokumente für: {query}"),
    "{first}-{last} of {total} documents for: {query}": ("{first}-{last} trên {total} văn bản cho: {query}",
                                                         "{first}-{last} von {total} Dokumenten für: {query}"),
    "note": ("lưu ý", "Hinweis"),
    "is {ref}": ("là {ref}", "ist {ref}"),
    "full-text index rebuilt: {n} documents in {seconds} s.": ("đã dựng lại chỉ mục toàn văn: {n} văn bản trong {seconds} giây.",
                                                              "Volltextindex neu aufgebaut: {n} Dokumente in {seconds} s."),
    "site": ("trang web", "Website"),
    "{pages} ({documents} documents, {cited} known from citations, {texts} texts)":
        ("{pages} ({documents} văn bản, {cited} biết qua trích dẫn, {texts} tệp)",
         "{pages} ({documents} Dokumente, {cited} aus Zitaten bekannt, {texts} Texte)"),
    "files": ("tệp", "Dateien"),
    "{files}: {written} written, {unchanged} unchanged, {removed} removed":
        ("{files}: {written} ghi mới, {unchanged} không đổi, {removed} xóa",
         "{files}: {written} geschrieben, {unchanged} unverändert, {removed} entfernt"),
    "search index": ("chỉ mục tìm kiếm", "Suchindex"),
    "{n} term shards": ("{n} phần", "{n} Teile"),
    "time": ("thời gian", "Zeit"),
    "{seconds} s ({rate} pages/s)": ("{seconds} giây ({rate} trang/giây)", "{seconds} s ({rate} Seiten/s)"),
    "copied {n} documents from {source} to {target}": ("đã sao chép {n} văn bản từ {source} sang {target}",
                                                       "{n} Dokumente von {source} nach {target} kopiert"),
    "{n} already there": ("{n} đã có sẵn", "{n} schon vorhanden"),
    "in {seconds} s: {rows}; graph resolution {graph} ({graph_seconds} s); full-text index of {n} documents.":
        ("trong {seconds} giây: {rows}; quan hệ: {graph} ({graph_seconds} giây); chỉ mục toàn văn {n} văn bản.",
         "in {seconds} s: {rows}; Auflösung des Graphen {graph} ({graph_seconds} s); Volltextindex von "
         "{n} Dokumenten."),
    "copied as it was": ("sao chép nguyên trạng", "unverändert kopiert"),
    "resolved again": ("xác định lại", "neu aufgelöst"),
    # the findings of check (the bodies and numbers they name are put in as they are)
    "{errors} errors, {warnings} warnings, {infos} notes in {files} files":
        ("{errors} lỗi, {warnings} cảnh báo, {infos} lưu ý trong {files} tệp",
         "{errors} Fehler, {warnings} Warnungen, {infos} Hinweise in {files} Dateien"),
    " or ": (" hoặc ", " oder "),
    "page {page}, line {line}": ("trang {page}, dòng {line}", "Seite {page}, Zeile {line}"),
    "line {line}": ("dòng {line}", "Zeile {line}"),
    "suggestion: {suggestion}": ("gợi ý: {suggestion}", "Vorschlag: {suggestion}"),
    "an unknown body": ("một cơ quan chưa rõ", ""),
    "malformed number '{written}': {reason}": ("số hiệu sai quy cách '{written}': {reason}", ""),
    "number '{written}': {reason}": ("số hiệu '{written}': {reason}", ""),
    "'{word}' does not match the type code {code} of {id}, which is {names}":
        ("'{word}' không khớp với ký hiệu loại văn bản {code} của {id}, tức là {names}", ""),
    "{doc} is neither in the index nor in the registry{times}{hint}":
        ("{doc} không có trong chỉ mục và danh mục văn bản{times}{hint}", ""),
    " (cited {n} times)": (" (được trích dẫn {n} lần)", ""),
    "; the index has {id} of {places}, a place this draft does not name":
        ("; chỉ mục có {id} của {places}, địa phương mà dự thảo không nêu", ""),
    "; the index has {id} of {years} only": ("; chỉ mục chỉ có {id} năm {years}", ""),
    "{doc} is dated {right}, not {wrong}": ("{doc} ban hành ngày {right}, không phải ngày {wrong}", ""),
    "no {id} is dated {date}; the known ones are of {listed}":
        ("không có văn bản {id} nào ban hành ngày {date}; các văn bản đã biết có ngày {listed}", ""),
    "{doc} was issued by {right}, not {wrong}": ("{doc} do {right} ban hành, không phải {wrong}", ""),
    "{doc} is not of term {term}: it is dated {listed}": ("{doc} không thuộc khóa {term}: văn bản ban hành ngày {listed}",
                                                         ""),
    "{date} (term {term})": ("{date} (khóa {term})", ""),
    "{doc} is of {year}, after this draft's date {own}": ("{doc} là văn bản năm {year}, sau ngày của dự thảo ({own})",
                                                          ""),
    "{doc} is dated {date}, after this draft's date {own}":
        ("{doc} ban hành ngày {date}, sau ngày của dự thảo ({own})", ""),
    "{doc} may mean several documents ({id} of {listed}); give the date":
        ("{doc} có thể là nhiều văn bản ({id} ngày {listed}); hãy ghi rõ ngày ban hành", ""),
    " by {id}": (" bởi {id}", ""),
    " by {id} of {date}": (" bởi {id} ngày {date}", ""),
    "registry": ("danh mục văn bản", ""),
    "built-in list": ("danh sách có sẵn", ""),
    "{doc} has been replaced{by} (according to {origin})": ("{doc} đã bị thay thế{by} (theo {origin})", ""),
    "{doc} has been repealed{by} (according to {origin})": ("{doc} đã bị bãi bỏ{by} (theo {origin})", ""),
    "{doc} has been {kind}{by} (according to {origin})": ("{doc}: {kind}{by} (theo {origin})", ""),
    "first mention of {id} is the short form '{text}'; cite it in full first":
        ("lần đầu nhắc đến {id} là dạng viết tắt '{text}'; lần đầu hãy trích dẫn đầy đủ", ""),
    "first mention of {id} gives no date": ("lần đầu nhắc đến {id} không ghi ngày ban hành", ""),
    "{id} is dated {first} at {where} but {date} here": ("{id} ghi ngày {first} ở {where} nhưng ở đây ghi ngày {date}",
                                                          ""),
    "{id} is attributed to {first} at {where} but to {body} here":
        ("{id} được ghi là của {first} ở {where} nhưng ở đây ghi là của {body}", ""),
    "the usual spelling is {canonical}": ("cách viết thông thường là {canonical}", ""),
    "the type and the issuer are separated by '/'": ("loại văn bản và cơ quan ban hành cách nhau bằng dấu '/'", ""),
    "a Party number is written number-TYPE/ISSUER": ("số hiệu văn bản của Đảng viết theo dạng số-LOẠI/CƠ QUAN", ""),
    "a Party number is written number-TYPE/ISSUER, not number/TYPE-ISSUER":
        ("số hiệu văn bản của Đảng viết theo dạng số-LOẠI/CƠ QUAN, không phải số/LOẠI-CƠ QUAN", ""),
    "{issuer} is a State issuer, whose numbers are written number/TYPE-ISSUER":
        ("{issuer} là cơ quan nhà nước, số hiệu văn bản viết theo dạng số/LOẠI-CƠ QUAN", ""),
    "no spaces inside a document number": ("số hiệu văn bản không có dấu cách", ""),
    "a document number takes a plain hyphen '-'": ("số hiệu văn bản dùng dấu gạch nối thường '-'", ""),
    "a hyphen belongs between the number and the type": ("cần dấu gạch nối giữa số và loại văn bản", ""),
    "numbers below 10 take a leading zero": ("số dưới 10 cần thêm chữ số 0 ở đầu", ""),
    "'Ð' (U+00D0) is not the Vietnamese 'Đ' (U+0110)": ("'Ð' (U+00D0) không phải chữ 'Đ' của tiếng Việt (U+0110)",
                                                         ""),
    "the Central Committee's code is TW, not TƯ": ("ký hiệu của Trung ương là TW, không phải TƯ", ""),
    "Vietnamese text writes Đ, not D": ("văn bản tiếng Việt viết Đ, không viết D", ""),
    "the type and issuer codes are written {codes}": ("ký hiệu loại văn bản và cơ quan ban hành viết là {codes}", ""),
    # files that cannot be read (the details put in, from the file system or a library, are as they come)
    "{reason} ({hint})": ("{reason} ({hint})", ""),
    "no such file or folder; check the path": ("không có tệp hoặc thư mục này; hãy kiểm tra đường dẫn", ""),
    "not a regular file or folder; skip it": ("không phải tệp hay thư mục thông thường; hãy bỏ qua", ""),
    "cannot list folder: {error}; check its permissions":
        ("không liệt kê được thư mục: {error}; hãy kiểm tra quyền truy cập", ""),
    "cannot look at it: {error}; not read": ("không xem được: {error}; không đọc", ""),
    "{kind}, not a regular file; not read": ("{kind}, không phải tệp thông thường; không đọc", ""),
    "dangling link to {target}; not read (fix or remove the link)":
        ("liên kết hỏng tới {target}; không đọc (hãy sửa hoặc xóa liên kết)", ""),
    "link loop ({target}); not read (fix or remove the link)":
        ("liên kết vòng ({target}); không đọc (hãy sửa hoặc xóa liên kết)", ""),
    "link loop: points to {real}, which contains the link; not followed":
        ("liên kết vòng: trỏ tới {real}, thư mục chứa chính liên kết này; không đi theo", ""),
    "link to {real}, outside the folders given; not followed (use --follow-links to read it)":
        ("liên kết tới {real}, nằm ngoài các thư mục đã chỉ định; không đi theo (dùng --follow-links để đọc)", ""),
    "file disappeared before it could be read (moved or deleted during the run); run ingest again":
        ("tệp đã biến mất trước khi được đọc (bị chuyển hoặc xóa trong lúc chạy); hãy chạy lại ingest", ""),
    "permission denied; make the file readable": ("không có quyền đọc; hãy cấp quyền đọc cho tệp", ""),
    "is a folder, not a file": ("là thư mục, không phải tệp", ""),
    "file too large to read into memory; split it": ("tệp quá lớn để đọc vào bộ nhớ; hãy tách nhỏ", ""),
    "cannot read file: {error}": ("không đọc được tệp: {error}", ""),
    "file too large to extract in memory; split it": ("tệp quá lớn để trích xuất trong bộ nhớ; hãy tách nhỏ", ""),
    "unexpected error reading it ({error}); please report this file":
        ("lỗi không lường trước khi đọc tệp ({error}); hãy báo lại tệp này", ""),
    "worker crashed while reading it ({error}); try with --jobs 1":
        ("tiến trình con bị dừng khi đọc tệp ({error}); hãy thử với --jobs 1", ""),
    "unsupported file type {suffix}": ("loại tệp không hỗ trợ {suffix}", ""),
    "docsearch reads {suffixes}": ("docsearch đọc {suffixes}", ""),
    "empty file (0 bytes)": ("tệp rỗng (0 byte)", ""),
    "check that the file was copied completely": ("hãy kiểm tra tệp đã được sao chép đầy đủ", ""),
    "no text found in the file": ("không tìm thấy chữ trong tệp", ""),
    "check that it is not blank": ("hãy kiểm tra tệp không bị trống", ""),
    "not a {kind}: {what}": ("không phải {kind}: {what}", ""),
    "check that the file is complete": ("hãy kiểm tra tệp còn nguyên vẹn", ""),
    "damaged ZIP container": ("vỏ ZIP bị hỏng", ""),
    "re-save the document from its editor": ("hãy lưu lại văn bản từ chương trình soạn thảo", ""),
    "ZIP archive that is not a Word document (no word/document.xml)":
        ("tệp nén ZIP không phải văn bản Word (không có word/document.xml)", ""),
    "unpack it, or save the document as .docx": ("hãy giải nén, hoặc lưu văn bản dưới dạng .docx", ""),
    "legacy binary Word/Office file (.doc)": ("tệp Word/Office định dạng cũ (.doc)", ""),
    "save it as .docx or PDF and ingest that": ("hãy lưu thành .docx hoặc PDF rồi đưa tệp đó vào", ""),
    "not valid text in any supported encoding ({encodings})":
        ("không phải văn bản hợp lệ trong bảng mã nào được hỗ trợ ({encodings})", ""),
    "convert it to UTF-8, e.g. open it in a text editor and save it as UTF-8":
        ("hãy chuyển sang UTF-8, ví dụ mở bằng trình soạn thảo văn bản và lưu dưới dạng UTF-8", ""),
    "binary data, not text": ("dữ liệu nhị phân, không phải văn bản", ""),
    "binary data, not text (looks like {what})": ("dữ liệu nhị phân, không phải văn bản (trông như {what})", ""),
    "this is not a plain-text file despite its name; remove it or give it its real extension":
        ("đây không phải tệp văn bản thuần dù có tên như vậy; hãy xóa hoặc đặt đúng phần mở rộng", ""),
    "encrypted PDF (password protected)": ("PDF được mã hóa (có mật khẩu)", ""),
    "encrypted PDF (unsupported security handler)": ("PDF được mã hóa (cơ chế bảo mật không được hỗ trợ)", ""),
    "remove the password (e.g. print to PDF) and ingest again": ("hãy gỡ mật khẩu (ví dụ in ra PDF) rồi đưa vào lại", ""),
    "damaged PDF: {error}": ("PDF bị hỏng: {error}", ""),
    "damaged PDF: pages could not be loaded": ("PDF bị hỏng: không tải được các trang", ""),
    "re-download or re-export the file": ("hãy tải lại hoặc xuất lại tệp", ""),
    "no text layer (scanned?)": ("không có lớp chữ (bản quét?)", ""),
    "run OCR on it first (e.g. ocrmypdf) and ingest the result":
        ("hãy nhận dạng chữ (OCR) trước (ví dụ ocrmypdf) rồi đưa kết quả vào", ""),
    "{reason}, and {problem}": ("{reason}, và {problem}", ""),
    "{reason}, and OCR found no text on it": ("{reason}, và OCR không tìm thấy chữ", ""),
    "check the scan: blank pages or photos only?": ("hãy kiểm tra bản quét: chỉ có trang trắng hoặc ảnh?", ""),
    "open the document in Word or LibreOffice and save it again as .docx":
        ("hãy mở văn bản bằng Word hoặc LibreOffice và lưu lại dưới dạng .docx", ""),
    "cannot read {name}: {error}": ("không đọc được {name}: {error}", ""),
    "damaged Word document: {name} cannot be unpacked ({error})":
        ("văn bản Word bị hỏng: không giải nén được {name} ({error})", ""),
    "malformed XML in {name}: {error}": ("XML sai cấu trúc trong {name}: {error}", ""),
    "refusing {name}: {size} MB uncompressed exceeds the {limit} MB limit (zip bomb?)":
        ("từ chối {name}: {size} MB sau giải nén vượt giới hạn {limit} MB (bom zip?)", ""),
    "check where the file comes from; if it is genuine, save it again from Word":
        ("hãy kiểm tra nguồn gốc tệp; nếu là tệp thật, hãy lưu lại từ Word", ""),
    "password-protected or legacy Word file (OLE container, not a .docx ZIP)":
        ("tệp Word có mật khẩu hoặc định dạng cũ (vỏ OLE, không phải ZIP .docx)", ""),
    "remove the password, or save it as .docx, and ingest again": ("hãy gỡ mật khẩu hoặc lưu thành .docx rồi đưa vào lại", ""),
    "damaged Word document: not a valid ZIP container": ("văn bản Word bị hỏng: vỏ ZIP không hợp lệ", ""),
    "not a Word document: word/document.xml is missing": ("không phải văn bản Word: thiếu word/document.xml", ""),
    "save the file as .docx from Word or LibreOffice": ("hãy lưu tệp thành .docx từ Word hoặc LibreOffice", ""),
    "malformed Word document: {part} has no body": ("văn bản Word sai cấu trúc: {part} không có phần thân", ""),
    "image file, and OCR is off (--ocr never)": ("tệp ảnh, mà OCR đang tắt (--ocr never)", ""),
    "ingest it with --ocr auto to read it with OCR": ("hãy đưa vào với --ocr auto để đọc bằng OCR", ""),
    "damaged or unsupported image (Pillow cannot identify it)": ("ảnh bị hỏng hoặc không được hỗ trợ (Pillow không nhận ra)", ""),
    "damaged image: {error}": ("ảnh bị hỏng: {error}", ""),
    "damaged image data ({error})": ("dữ liệu ảnh bị hỏng ({error})", ""),
    "re-scan it or export it again as PNG, JPEG or TIFF": ("hãy quét lại hoặc xuất lại dưới dạng PNG, JPEG hoặc TIFF", ""),
    "no page could be read: {reason}": ("không đọc được trang nào: {reason}", ""),
    "OCR found no text in the image (blank page or photo?)":
        ("OCR không tìm thấy chữ trong ảnh (trang trắng hoặc ảnh chụp?)", ""),
    "check the scan; 300 dpi black-on-white reads best":
        ("hãy kiểm tra bản quét; chữ đen trên nền trắng ở 300 dpi đọc tốt nhất", ""),
    "image too large: {width}x{height} pixels ({megapixels} megapixels, the limit is {limit})":
        ("ảnh quá lớn: {width}x{height} điểm ảnh ({megapixels} megapixel, giới hạn là {limit})", ""),
    "image too large to decode in memory": ("ảnh quá lớn để giải mã trong bộ nhớ", ""),
    "scan at 300 dpi or split the image": ("hãy quét ở 300 dpi hoặc tách nhỏ ảnh", ""),
    "Tesseract (OCR) is not installed": ("chưa cài Tesseract (OCR)", ""),
    "install Tesseract with its Vietnamese data (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-vie), or ingest "
    "with --ocr never":
        ("hãy cài Tesseract cùng dữ liệu tiếng Việt (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-vie), "
         "hoặc đưa vào với --ocr never", ""),
    "Tesseract has no language data for {languages}": ("Tesseract chưa có dữ liệu ngôn ngữ {languages}", ""),
    "install it (Debian/Ubuntu: apt-get install {packages}) or choose other languages with --ocr-lang":
        ("hãy cài (Debian/Ubuntu: apt-get install {packages}) hoặc chọn ngôn ngữ khác với --ocr-lang", ""),
    "cannot run Tesseract ({error})": ("không chạy được Tesseract ({error})", ""),
    "page image of {width}x{height} pixels is larger than OCR can read":
        ("ảnh trang {width}x{height} điểm ảnh lớn hơn mức OCR đọc được", ""),
    "scan it at a lower resolution": ("hãy quét ở độ phân giải thấp hơn", ""),
    "OCR took longer than {seconds} s on one page": ("OCR chạy quá {seconds} giây cho một trang", ""),
    "check the scan, or split the file": ("hãy kiểm tra bản quét hoặc tách nhỏ tệp", ""),
    "Tesseract failed on a page: {error}": ("Tesseract gặp lỗi ở một trang: {error}", ""),
    "check that the image is not damaged": ("hãy kiểm tra ảnh không bị hỏng", ""),
    "Tesseract gave output in an unknown layout": ("Tesseract trả kết quả theo bố cục không rõ", ""),
    "use Tesseract 4 or newer": ("hãy dùng Tesseract 4 trở lên", ""),
    # the web application's answers to a draft it cannot take
    "cannot read this draft: {reason}": ("không đọc được dự thảo: {reason}", ""),
    "the upload is larger than the limit of {mb} MB; check a shorter draft, or start the server with a larger "
    "--max-upload":
        ("tệp tải lên lớn hơn giới hạn {mb} MB; hãy kiểm tra dự thảo ngắn hơn, hoặc khởi động máy chủ với --max-upload "
         "lớn hơn", ""),
    "send the draft as a form: a 'file' upload or a 'text' field (multipart/form-data or "
    "application/x-www-form-urlencoded)":
        ("hãy gửi dự thảo qua biểu mẫu: tải tệp lên ở trường 'file' hoặc dán vào trường 'text' (multipart/form-data "
         "hoặc application/x-www-form-urlencoded)", ""),
    "the form cannot be read: {error}": ("không đọc được biểu mẫu: {error}", ""),
    "no draft: paste its text in the 'text' field or upload a file in the 'file' field":
        ("chưa có dự thảo: hãy dán nội dung vào trường 'text' hoặc tải tệp lên ở trường 'file'", ""),
    # the ingest's progress on a terminal
    "[{bar}] {done}/{total} files  {rate}/s  {eta} s left ": ("[{bar}] {done}/{total} tệp  {rate}/giây  còn {eta} giây ",
                                                              "[{bar}] {done}/{total} Dateien  {rate}/s  noch {eta} s "),
    "resolving the references of all {n} documents": ("đang xác định các trích dẫn của toàn bộ {n} văn bản",
                                                      "die Verweise aller {n} Dokumente werden aufgelöst"),
    "full-text index not updated: {error} (the store is up to date; run 'docsearch reindex' later)":
        ("chưa cập nhật chỉ mục toàn văn: {error} (kho dữ liệu đã cập nhật; hãy chạy 'docsearch reindex' sau)",
         "Volltextindex nicht aktualisiert: {error} (der Speicher ist aktuell; später 'docsearch reindex' ausführen)"),
    # two ingests of one index
    "another ingest is writing the index {index} ({holder})": ("một lần ingest khác đang ghi vào chỉ mục {index} ({holder})",
                                                              ""),
    "{busy}; wait for it to finish, or use --wait": ("{busy}; hãy đợi nó chạy xong, hoặc dùng --wait", ""),
    "{busy}; waiting for it to finish": ("{busy}; đang đợi nó chạy xong", ""),
    # a document the command line cannot tell
    "no stored document {doc}: the index holds {n} documents; 'docsearch search' and 'docsearch show' print each "
    "one's #N":
        ("không có văn bản {doc} trong kho: chỉ mục có {n} văn bản; 'docsearch search' và 'docsearch show' in số #N "
         "của từng văn bản", ""),
    "no stored document matches '{doc}'; give a path (or its end), an id such as 57-NQ/TW, or #N as 'docsearch "
    "search' prints it":
        ("không có văn bản nào trong kho khớp với '{doc}'; hãy nhập đường dẫn (hoặc phần cuối), số hiệu như "
         "57-NQ/TW, hoặc số #N mà 'docsearch search' in ra", ""),
    "'{doc}' matches {n} stored documents; add the year or use #N:":
        ("'{doc}' khớp với {n} văn bản trong kho; hãy thêm năm hoặc dùng số #N:", ""),
    "'{doc}' matches {n} stored documents; give more of the path or use #N:":
        ("'{doc}' khớp với {n} văn bản trong kho; hãy nhập đường dẫn đầy đủ hơn hoặc dùng số #N:", ""),
    "'{query}' names {n} documents; add the year or use the key:":
        ("'{query}' là số hiệu của {n} văn bản; hãy thêm năm hoặc dùng khóa:", ""),
    # the command line's own errors and notes
    "Error: {text}": ("Lỗi: {text}", "Fehler: {text}"),
    "cannot write {file}: {error}": ("không ghi được {file}: {error}", ""),
    "{nodes} documents and {edges} relations written to {file}.":
        ("đã ghi {nodes} văn bản và {edges} quan hệ vào {file}.",
         "{nodes} Dokumente und {edges} Beziehungen in {file} geschrieben."),
    "give a DOCUMENT or --central, not both": ("hãy nêu một DOCUMENT hoặc dùng --central, không dùng cả hai", ""),
    "give a DOCUMENT (e.g. \"Resolution 57\"), or --central for all central documents":
        ("hãy nêu một DOCUMENT (ví dụ \"Nghị quyết 57\"), hoặc dùng --central cho mọi văn bản của Trung ương", ""),
    "must be a postgresql:// URL (a replica of the --index database)":
        ("phải là một URL postgresql:// (bản sao của cơ sở dữ liệu --index)", ""),
    "needs --index to be a postgresql:// URL": ("cần --index là một URL postgresql://", ""),
    "(reading {url})": ("(đọc từ {url})", "(liest {url})"),
    "warning: no index in {folder}/ yet; pages will say so until 'docsearch ingest' creates it":
        ("cảnh báo: chưa có chỉ mục trong {folder}/; các trang sẽ báo như vậy cho đến khi 'docsearch ingest' tạo chỉ mục",
         ""),
    "warning: listening on {host}: the index becomes visible on the network":
        ("cảnh báo: đang nghe trên {host}: chỉ mục sẽ truy cập được từ mạng", ""),
    "warning: listening on {host}: the index becomes visible on the network; consider --token":
        ("cảnh báo: đang nghe trên {host}: chỉ mục sẽ truy cập được từ mạng; nên dùng --token", ""),
    "cannot listen on {host}:{port}: {error}; choose another --port or stop the program using it":
        ("không nghe được trên {host}:{port}: {error}; hãy chọn --port khác hoặc dừng chương trình đang dùng cổng này", ""),
    "cannot listen on {host}:{port}: {error}": ("không nghe được trên {host}:{port}: {error}", ""),
    "serving {index} at {url} (Ctrl-C to stop)": ("đang phục vụ {index} tại {url} (Ctrl-C để dừng)",
                                                  "{index} unter {url} (Strg-C beendet)"),
    "interrupted": ("đã dừng", "abgebrochen"),
    # what a document's text may lack (said where the document is shown; the details put in are as they come)
    "pages {numbers}": ("các trang {numbers}", "Seiten {numbers}"),
    "{pages} could not be read (damaged)": ("không đọc được {pages} (bị hỏng)", ""),
    "{pages} has no text layer": ("{pages} không có lớp chữ", ""),
    "{pages} have no text layer": ("{pages} không có lớp chữ", ""),
    "{pages}: no text layer, and OCR found no text (blank or a photo?)":
        ("{pages}: không có lớp chữ, và OCR không tìm thấy chữ (trang trắng hay ảnh chụp?)", ""),
    "{pages}: no text layer, and not read with OCR: {problem}":
        ("{pages}: không có lớp chữ, và chưa đọc bằng OCR: {problem}", ""),
    "{pages} not read with OCR: more than {n} scanned pages in one file (split it)":
        ("{pages} chưa được đọc bằng OCR: quá {n} trang quét trong một tệp (hãy tách nhỏ)", ""),
    "pdfium could not read the file ({why}); text recovered with pdfminer.six":
        ("pdfium không đọc được tệp ({why}); đã lấy lại chữ bằng pdfminer.six", ""),
    "some pages could not be loaded": ("một số trang không tải được", ""),
    "no text found": ("không tìm thấy chữ", ""),
    "page {n}: {problem}": ("trang {n}: {problem}", ""),
    "page {n}: very large page ({size} in) rendered at {dpi} dpi for OCR":
        ("trang {n}: trang rất lớn ({size} inch) được dựng ở {dpi} dpi để OCR", ""),
    "page {n}: could not be rendered for OCR ({error})": ("trang {n}: không dựng được để OCR ({error})", ""),
    "page {n}: OCR found no text (blank page or photo?)":
        ("trang {n}: OCR không tìm thấy chữ (trang trắng hay ảnh chụp?)", ""),
    "page {n}: image of {size} pixels read at {read}": ("trang {n}: ảnh {size} điểm ảnh được đọc ở {read}", ""),
    "pages after {n} could not be read (damaged: {error})":
        ("không đọc được các trang sau trang {n} (bị hỏng: {error})", ""),
    "only the first {n} pages were read with OCR (the file has more; split it)":
        ("chỉ {n} trang đầu được đọc bằng OCR (tệp còn nhiều trang hơn; hãy tách nhỏ)", ""),
    "replaced 1 invalid byte with U+FFFD (the file is not entirely valid {codec})":
        ("đã thay 1 byte không hợp lệ bằng U+FFFD (tệp không hoàn toàn là {codec} hợp lệ)", ""),
    "replaced {n} invalid bytes with U+FFFD (the file is not entirely valid {codec})":
        ("đã thay {n} byte không hợp lệ bằng U+FFFD (tệp không hoàn toàn là {codec} hợp lệ)", ""),
    "converted from {encoding} (legacy font encoding)": ("đã chuyển từ {encoding} (bảng mã phông cũ)", ""),
    "converted from {encoding} (legacy font encoding) found in {found} text":
        ("đã chuyển từ {encoding} (bảng mã phông cũ) có trong văn bản {found}", ""),
    "removed 1 control character": ("đã bỏ 1 ký tự điều khiển", ""),
    "removed {n} control characters": ("đã bỏ {n} ký tự điều khiển", ""),
    "unknown charset {label} declared; guessed the encoding":
        ("trang khai báo bảng mã không rõ {label}; đã đoán bảng mã", ""),
    "the page declares {label} but is not valid {encoding}; guessed the encoding":
        ("trang khai báo {label} nhưng không phải {encoding} hợp lệ; đã đoán bảng mã", ""),
    "no charset declared and not UTF-8; decoded as {encoding}":
        ("trang không khai báo bảng mã và không phải UTF-8; đã giải mã theo {encoding}", ""),
    "HTML parser stopped early ({error}); text may be incomplete":
        ("trình phân tích HTML dừng sớm ({error}); chữ có thể chưa đầy đủ", ""),
    "skipped {name}: malformed XML ({error})": ("đã bỏ qua {name}: XML không hợp lệ ({error})", ""),
    # errors a command or a page meets (paths, URLs, numbers and the details put in are as they come)
    "no docsearch index in {folder}/: run 'docsearch ingest FOLDER' first or point --index / ${variable} at an existing index":
        ("không có chỉ mục docsearch trong {folder}/: hãy chạy 'docsearch ingest FOLDER' trước, hoặc trỏ --index / "
         "${variable} tới một chỉ mục đã có", ""),
    "no docsearch index in {index}: run 'docsearch ingest FOLDER --index {index}' first (the database exists but holds "
    "no docsearch tables)":
        ("không có chỉ mục docsearch trong {index}: hãy chạy 'docsearch ingest FOLDER --index {index}' trước (cơ sở dữ "
         "liệu có nhưng chưa có bảng nào của docsearch)", ""),
    "no docsearch index in {folder}/: run 'docsearch ingest FOLDER --index {folder}' first, or start the server with "
    "--index pointing at an existing index":
        ("không có chỉ mục docsearch trong {folder}/: hãy chạy 'docsearch ingest FOLDER --index {folder}' trước, hoặc "
         "khởi động máy chủ với --index trỏ tới một chỉ mục đã có", ""),
    "cannot create index folder {folder}: {error}": ("không tạo được thư mục chỉ mục {folder}: {error}", ""),
    "cannot open the index {file}: {error}; if it is damaged, delete the folder and ingest again":
        ("không mở được chỉ mục {file}: {error}; nếu chỉ mục bị hỏng, hãy xóa thư mục và chạy ingest lại", ""),
    "cannot read the index {file}: {error}": ("không đọc được chỉ mục {file}: {error}", ""),
    "the index {index} was written by a newer docsearch (schema {version}, this one knows {known}); upgrade docsearch":
        ("chỉ mục {index} do một phiên bản docsearch mới hơn ghi (lược đồ {version}, phiên bản này biết đến {known}); "
         "hãy nâng cấp docsearch", ""),
    "the index {index} needs a schema upgrade; run any docsearch command once as a user who may write to it":
        ("chỉ mục {index} cần nâng cấp lược đồ; hãy chạy một lệnh docsearch bất kỳ một lần với người dùng có quyền ghi",
         ""),
    "the index {file} has schema {version}, this docsearch reads {known}: {todo}":
        ("chỉ mục {file} có lược đồ {version}, phiên bản docsearch này đọc lược đồ {known}: {todo}", ""),
    "upgrade docsearch": ("hãy nâng cấp docsearch", ""),
    "run 'docsearch stats' once to upgrade it (the server never writes)":
        ("hãy chạy 'docsearch stats' một lần để nâng cấp (máy chủ web không bao giờ ghi)", ""),
    "cannot create the lock file {file}: {error}": ("không tạo được tệp khóa {file}: {error}", ""),
    "no stored document #{n}": ("không có văn bản #{n} trong kho", ""),
    "no stored document {doc}": ("không có văn bản {doc} trong kho", ""),
    "no document given": ("chưa nêu văn bản nào", ""),
    "nothing in the index is or mentions '{query}'":
        ("trong chỉ mục không có văn bản nào là hoặc nhắc đến '{query}'", ""),
    "cannot connect to {url}: {reason}": ("không kết nối được tới {url}: {reason}", ""),
    "{error}; check the URL, the password and that the server runs":
        ("{error}; hãy kiểm tra URL, mật khẩu và máy chủ có đang chạy không", ""),
    "the database server {url} failed: {reason}; everything committed before the failure stays and nothing is half "
    "written: run the command again when the server is back":
        ("máy chủ cơ sở dữ liệu {url} gặp lỗi: {reason}; mọi dữ liệu đã ghi trước sự cố vẫn còn và không có gì bị ghi "
         "dở: hãy chạy lại lệnh khi máy chủ hoạt động trở lại", ""),
    "--from and --to name the same index": ("--from và --to cùng chỉ một chỉ mục", ""),
    "{target} already holds {n} documents, not all from {source} (#{doc} {path}); copy into an empty index, or add "
    "--replace to empty it first":
        ("{target} đã có {n} văn bản, không phải tất cả đều từ {source} (#{doc} {path}); hãy sao chép vào một chỉ mục "
         "trống, hoặc thêm --replace để làm trống nó trước", ""),
    # the full-text index
    "no full-text index in {folder}/: run 'docsearch reindex' (or 'docsearch ingest FOLDER')":
        ("không có chỉ mục toàn văn trong {folder}/: hãy chạy 'docsearch reindex' (hoặc 'docsearch ingest FOLDER')", ""),
    "no full-text index in {url}: run 'docsearch reindex --index URL'":
        ("không có chỉ mục toàn văn trong {url}: hãy chạy 'docsearch reindex --index URL'", ""),
    "no full-text index in {url}: run 'docsearch reindex --index URL' (or 'docsearch ingest FOLDER --index URL')":
        ("không có chỉ mục toàn văn trong {url}: hãy chạy 'docsearch reindex --index URL' (hoặc 'docsearch ingest "
         "FOLDER --index URL')", ""),
    "the full-text index in {folder} is damaged; run 'docsearch reindex'":
        ("chỉ mục toàn văn trong {folder} bị hỏng; hãy chạy 'docsearch reindex'", ""),
    "the full-text index in {folder} is damaged ({error}); run 'docsearch reindex'":
        ("chỉ mục toàn văn trong {folder} bị hỏng ({error}); hãy chạy 'docsearch reindex'", ""),
    "the full-text index in {folder} was built by another docsearch version; run 'docsearch reindex'":
        ("chỉ mục toàn văn trong {folder} được dựng bởi một phiên bản docsearch khác; hãy chạy 'docsearch reindex'", ""),
    "the full-text index in {url} was built by another docsearch version; run 'docsearch reindex --index URL'":
        ("chỉ mục toàn văn trong {url} được dựng bởi một phiên bản docsearch khác; hãy chạy 'docsearch reindex --index "
         "URL'", ""),
    "cannot open the full-text index in {folder}: {error}; run 'docsearch reindex'":
        ("không mở được chỉ mục toàn văn trong {folder}: {error}; hãy chạy 'docsearch reindex'", ""),
    "cannot create {folder}: {error}": ("không tạo được {folder}: {error}", ""),
    "another process is writing the full-text index in {folder} ({error}); wait for it to finish":
        ("một tiến trình khác đang ghi chỉ mục toàn văn trong {folder} ({error}); hãy đợi nó chạy xong", ""),
    "another docsearch process is updating the full-text index in {folder}; wait for it to finish and try again":
        ("một tiến trình docsearch khác đang cập nhật chỉ mục toàn văn trong {folder}; hãy đợi nó chạy xong rồi thử lại",
         ""),
    "cannot write the full-text index in {folder} ({error}); run the command again":
        ("không ghi được chỉ mục toàn văn trong {folder} ({error}); hãy chạy lại lệnh", ""),
    "the search failed: {error}; try again or run 'docsearch reindex'":
        ("tìm kiếm không thành công: {error}; hãy thử lại hoặc chạy 'docsearch reindex'", ""),
    "cannot connect to {url}: {reason}; check the URL, the user and the password, and that the server is running":
        ("không kết nối được tới {url}: {reason}; hãy kiểm tra URL, tên người dùng, mật khẩu và máy chủ có đang chạy "
         "không", ""),
    "the database user may not read the full-text index in {url}: {reason}; grant it SELECT on {tables}":
        ("người dùng cơ sở dữ liệu không có quyền đọc chỉ mục toàn văn trong {url}: {reason}; hãy cấp quyền SELECT "
         "trên {tables}", ""),
    "cannot read the full-text index in {url}: {reason}": ("không đọc được chỉ mục toàn văn trong {url}: {reason}", ""),
    "lost the connection to {url} ({reason}); check that the server is running and try again":
        ("mất kết nối tới {url} ({reason}); hãy kiểm tra máy chủ có đang chạy không rồi thử lại", ""),
    "cannot {action} in {url}: {reason}": ("không {action} trong {url} được: {reason}", ""),
    "open the full-text index for writing": ("mở chỉ mục toàn văn để ghi", ""),
    "write the full-text index": ("ghi chỉ mục toàn văn", ""),
    "commit the full-text index": ("lưu chỉ mục toàn văn", ""),
    "finish the full-text index": ("hoàn tất chỉ mục toàn văn", ""),
    "read the full-text index": ("đọc chỉ mục toàn văn", ""),
    "search the full-text index": ("tìm trong chỉ mục toàn văn", ""),
    # a query that cannot be understood (the fields, values and examples are as the user types them)
    "nothing to search for: type words, a \"phrase\", a document number such as 57-NQ/TW or a filter such as type:NQ":
        ("chưa có gì để tìm: hãy nhập từ, một \"cụm từ\", một số hiệu như 57-NQ/TW hoặc một bộ lọc như type:NQ", ""),
    "the query must be text": ("truy vấn phải là văn bản", ""),
    "the query is too long ({n} characters; at most {most})": ("truy vấn quá dài ({n} ký tự; tối đa {most})", ""),
    "unbalanced quote: the phrase opened at position {at} is not closed; add the closing {close}":
        ("thiếu dấu ngoặc kép: cụm từ mở ở vị trí {at} chưa được đóng; hãy thêm {close} để đóng", ""),
    "unbalanced parenthesis: ')' at position {at} has no matching '('; remove it":
        ("thừa dấu ngoặc: ')' ở vị trí {at} không có '(' tương ứng; hãy bỏ nó", ""),
    "unbalanced parenthesis: '(' at position {at} is not closed; add ')'":
        ("thiếu dấu ngoặc: '(' ở vị trí {at} chưa được đóng; hãy thêm ')'", ""),
    "too many nested parentheses (more than {n}); simplify the query":
        ("quá nhiều dấu ngoặc lồng nhau (hơn {n}); hãy viết truy vấn đơn giản hơn", ""),
    "unexpected '{text}' at position {at}": ("ký hiệu '{text}' không đúng chỗ ở vị trí {at}", ""),
    "unknown field '{field}:'; use one of {fields} or put the words in quotes":
        ("không có trường '{field}:'; hãy dùng một trong {fields} hoặc đặt các từ trong ngoặc kép", ""),
    "'{field}:' needs a value, e.g. {example}": ("'{field}:' cần một giá trị, ví dụ {example}", ""),
    "'{field}:' takes one value or a comma-separated list, not a group; write e.g. {example}":
        ("'{field}:' nhận một giá trị hoặc danh sách cách nhau bởi dấu phẩy, không nhận một nhóm; hãy viết ví dụ "
         "{example}", ""),
    "'issuer:' needs a name or code, e.g. {example}": ("'issuer:' cần tên hoặc mã cơ quan, ví dụ {example}", ""),
    "unknown document type '{value}': use a code such as NQ, CT, KL, QĐ, CTr, KH, HD, BC or a word such as resolution, "
    "Chỉ thị, Richtlinie":
        ("không có loại văn bản '{value}': hãy dùng mã như NQ, CT, KL, QĐ, CTr, KH, HD, BC hoặc một từ như Nghị quyết, "
         "Chỉ thị, resolution", ""),
    "unknown {field} '{value}': use one of {known}": ("{field} '{value}' không hợp lệ: hãy dùng một trong {known}", ""),
    "'{filter}' is not a document reference; write a number such as 57-NQ/TW, 13/2023/NĐ-CP or \"Nghị quyết 57\" in "
    "quotes":
        ("'{filter}' không phải là dẫn chiếu văn bản; hãy viết số hiệu như 57-NQ/TW, 13/2023/NĐ-CP hoặc \"Nghị quyết "
         "57\" trong ngoặc kép", ""),
    "'{filter}' is not a year; write e.g. {example}": ("'{filter}' không phải là năm; hãy viết ví dụ {example}", ""),
    "'{filter}' is not a date; write e.g. {example}": ("'{filter}' không phải là ngày; hãy viết ví dụ {example}", ""),
    "'{filter}' is not a valid date; write e.g. {example}":
        ("'{filter}' không phải là ngày hợp lệ; hãy viết ví dụ {example}", ""),
    "'{filter}' has no bounds; write e.g. {example}": ("'{filter}' chưa có mốc đầu hay mốc cuối; hãy viết ví dụ {example}",
                                                       ""),
    "'{filter}' is an empty range: the start is after the end":
        ("'{filter}' là khoảng rỗng: mốc đầu nằm sau mốc cuối", ""),
    "{option} must be between {low} and {high} (got {value})":
        ("{option} phải nằm trong khoảng {low} đến {high} (nhận được {value})", ""),
    # a document a graph query or a page cannot find
    "no document given; name one such as 57-NQ/TW or 'Resolution 57'":
        ("chưa nêu văn bản nào; hãy nêu một văn bản như 57-NQ/TW hoặc 'Nghị quyết 57'", ""),
    "'{query}' does not name a document docsearch can read; write a number such as 57-NQ/TW, 13/2023/NĐ-CP or "
    "45/KH-UBND, or a short form such as 'Resolution 57', 'Nghị quyết 57' or 'NQ 57'":
        ("'{query}' không phải là văn bản mà docsearch đọc được; hãy viết số hiệu như 57-NQ/TW, 13/2023/NĐ-CP hoặc "
         "45/KH-UBND, hoặc dạng ngắn như 'Nghị quyết 57' hay 'NQ 57'", ""),
    "nothing in the index mentions {id} and it is not in the built-in list or the registry; check the number, ingest "
    "a text that cites it, or add it with 'docsearch registry import'":
        ("trong chỉ mục không có văn bản nào nhắc đến {id} và số hiệu này không có trong danh sách có sẵn hay danh mục "
         "văn bản; hãy kiểm tra số hiệu, nạp một văn bản có dẫn chiếu tới nó, hoặc thêm nó bằng 'docsearch registry "
         "import'", ""),
    "no document has the key {key}; see 'docsearch show {id}' for its keys":
        ("không có văn bản nào có khóa {key}; xem các khóa bằng 'docsearch show {id}'", ""),
    "no document {id} has the key {key}; its keys are: {keys}":
        ("không có văn bản {id} nào có khóa {key}; các khóa của nó là: {keys}", ""),
    "no document {id} of {years} is known; it names: {listed}":
        ("không có văn bản {id} nào năm {years}; số hiệu này là của: {listed}", ""),
    "'{query}' names {n} documents: {listed}; say which, e.g. {example} or its key":
        ("'{query}' là số hiệu của {n} văn bản: {listed}; hãy nói rõ văn bản nào, ví dụ {example} hoặc khóa của nó", ""),
    "unknown relation {relations}; use {known}": ("không có quan hệ {relations}; hãy dùng {known}", ""),
    "depth must be 1 or more, not {depth}": ("độ sâu phải từ 1 trở lên, không phải {depth}", ""),
    "coverage can be grouped by 'issuer' or 'level', not '{by}'":
        ("mức độ triển khai có thể nhóm theo 'issuer' hoặc 'level', không theo '{by}'", ""),
    # the registry, check's settings and drafts
    "{file}, line {line}": ("{file}, dòng {line}", ""),
    "{file}, item {n}": ("{file}, mục {n}", ""),
    "{where}: no 'number' (e.g. 57-NQ/TW or 13/2023/NĐ-CP)":
        ("{where}: thiếu 'number' (ví dụ 57-NQ/TW hoặc 13/2023/NĐ-CP)", ""),
    "{where}: '{number}' is not a document number docsearch understands (Party: 57-NQ/TW, State: 13/2023/NĐ-CP or "
    "123/QĐ-UBND)":
        ("{where}: '{number}' không phải là số hiệu văn bản mà docsearch hiểu được (của Đảng: 57-NQ/TW, của Nhà nước: "
         "13/2023/NĐ-CP hoặc 123/QĐ-UBND)", ""),
    "{where}: date '{date}' is not YYYY-MM-DD": ("{where}: ngày '{date}' không theo dạng YYYY-MM-DD", ""),
    "{file}: the first row must name the columns, including 'number' (columns: {columns})":
        ("{file}: dòng đầu tiên phải ghi tên các cột, trong đó có 'number' (các cột: {columns})", ""),
    "{file}: cannot read: {error}": ("{file}: không đọc được: {error}", ""),
    "{file}: not UTF-8 text; save it as UTF-8": ("{file}: không phải văn bản UTF-8; hãy lưu lại dưới dạng UTF-8", ""),
    "{file}: invalid JSON at line {line}: {error}": ("{file}: JSON không hợp lệ ở dòng {line}: {error}", ""),
    "{file}: expected a list of objects with {columns}": ("{file}: cần một danh sách các đối tượng có {columns}", ""),
    "{where}: expected an object": ("{where}: cần một đối tượng", ""),
    "{file}: registry files must be .csv or .json": ("{file}: tệp danh mục phải là .csv hoặc .json", ""),
    "{file}: invalid TOML: {error}": ("{file}: TOML không hợp lệ: {error}", ""),
    "{where} must be a table, e.g. {example}": ("{where} phải là một bảng, ví dụ {example}", ""),
    "{where}: unknown key {key}; known keys: {known}": ("{where}: không có khóa {key}; các khóa hợp lệ: {known}", ""),
    "{where}: 'ignore' must be a list of codes, e.g. {example}":
        ("{where}: 'ignore' phải là danh sách mã, ví dụ {example}", ""),
    "{where}: unknown code {code}; codes are {codes} (a prefix such as DS4 selects a group)":
        ("{where}: không có mã {code}; các mã là {codes} (một tiền tố như DS4 chọn cả nhóm)", ""),
    "{file}: {reason}": ("{file}: {reason}", ""),
    "cannot read: {error}": ("không đọc được: {error}", ""),
    # the site
    "{out} is a file; give a folder for the site": ("{out} là một tệp; hãy chỉ định một thư mục cho trang web", ""),
    "{out}/ is not empty and holds no site built by docsearch; choose an empty or new folder so that no file of yours "
    "is overwritten":
        ("{out}/ không trống và không chứa trang web nào do docsearch tạo; hãy chọn một thư mục trống hoặc mới để không "
         "tệp nào của bạn bị ghi đè", ""),
    "cannot read {file}: {error}; delete the folder and build again":
        ("không đọc được {file}: {error}; hãy xóa thư mục và tạo lại", ""),
    "--templates {folder}: no such folder": ("--templates {folder}: không có thư mục này", ""),
    "template {name}, line {line}: {error}": ("mẫu {name}, dòng {line}: {error}", ""),
    "template {name} not found in the package or --templates":
        ("không tìm thấy mẫu {name} trong gói hoặc trong --templates", ""),
    "template {name} failed on {page}: {error}": ("mẫu {name} bị lỗi ở trang {page}: {error}", ""),
    "--base-url must be a path starting with '/' (such as /docs/) or an http(s) URL, not {value}":
        ("--base-url phải là đường dẫn bắt đầu bằng '/' (như /docs/) hoặc một URL http(s), không phải {value}", ""),
    # ingest on a cluster
    "the Dask 'distributed' package is not installed; pip install distributed":
        ("chưa cài gói 'distributed' của Dask; hãy chạy pip install distributed", ""),
    "cannot reach the Dask scheduler at {address} ({error}); start one with 'dask scheduler' and workers with 'dask "
    "worker {address}', or ingest without --cluster":
        ("không kết nối được tới bộ điều phối Dask tại {address} ({error}); hãy khởi động nó bằng 'dask scheduler' và "
         "các máy thực thi bằng 'dask worker {address}', hoặc chạy ingest không có --cluster", ""),
    "the Dask scheduler at {address} has no workers; start some with 'dask worker {address}'":
        ("bộ điều phối Dask tại {address} chưa có máy thực thi nào; hãy khởi động bằng 'dask worker {address}'", ""),
    "cannot send data to the cluster's workers: they keep failing; check them and ingest again":
        ("không gửi được dữ liệu tới các máy thực thi của cụm: chúng liên tục gặp lỗi; hãy kiểm tra rồi chạy ingest lại",
         ""),
    "the cluster lost it {n} times (workers died while reading it); ingest it again or without --cluster":
        ("cụm đã làm mất tệp này {n} lần (máy thực thi dừng khi đang đọc); hãy chạy ingest lại hoặc không dùng --cluster",
         ""),
    "the cluster lost every worker that tried to read it (the file may crash or exhaust them: check its size); ingest "
    "it again or without --cluster":
        ("cụm đã mất mọi máy thực thi đọc tệp này (tệp có thể làm chúng dừng hoặc cạn bộ nhớ: hãy kiểm tra kích thước); "
         "hãy chạy ingest lại hoặc không dùng --cluster", ""),
    "the cluster could not process it ({error}); check that every worker has docsearch installed, and ingest again":
        ("cụm không xử lý được tệp này ({error}); hãy kiểm tra mọi máy thực thi đã cài docsearch, rồi chạy ingest lại",
         ""),
}

# Relation names in Vietnamese and English come from the one table of
# relation types (docsearch.relation_types); German is added here.
_RELATIONS_DE: dict[str, tuple[str, str]] = {
    # relation: (from the source, from the target)
    "implements": ("setzt um", "umgesetzt von"),
    "based_on": ("gestützt auf", "Grundlage für"),
    "guides": ("leitet an", "angeleitet von"),
    "summarizes": ("bewertet", "bewertet von"),
    "amends": ("ändert", "geändert von"),
    "replaces": ("ersetzt", "ersetzt durch"),
    "repeals": ("hebt auf", "aufgehoben durch"),
    "cites": ("zitiert", "zitiert von"),
}
_LEVELS: dict[str, tuple[str, str, str]] = {
    "central": ("Trung ương", "central (Party centre)", "zentral (Parteizentrale)"),
    "provincial": ("cấp tỉnh", "provincial", "Provinz"),
    "district": ("cấp huyện", "district", "Bezirk"),
    "grassroots": ("cơ sở", "grassroots", "Basis"),
    "state": ("Nhà nước", "State", "Staat"),
}
_STATUS: dict[str, tuple[str, str, str]] = {
    "in_force": ("còn hiệu lực", "in force", "in Kraft"),
    "replaced": ("đã bị thay thế", "replaced", "ersetzt"),
    "repealed": ("đã bị bãi bỏ", "repealed", "aufgehoben"),
    "amended": ("đã được sửa đổi", "amended", "geändert"),
    "expired": ("hết hiệu lực", "expired", "abgelaufen"),
}
_SOURCES: dict[str, tuple[str, str, str]] = {
    "header": ("phần đầu văn bản", "header", "Kopf"),
    "registry": ("danh mục", "registry", "Register"),
    "builtin": ("danh sách có sẵn", "built-in list", "eingebaute Liste"),
    "number": ("số hiệu", "number", "Nummer"),
    "citation": ("trích dẫn", "citation", "Zitat"),
}
_COLUMN = {"vi": 0, "en": 1, "de": 2}
#: How docsearch.graph.model.issuer_label starts its note on an unnamed issuer.
_NOT_STATED = "(issuer not stated: "


def normalize_language(code: str | None) -> str | None:
    """``"EN"``, ``"en-GB"`` → ``"en"``; None for a language the interface does not speak."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base in LANGUAGES else None


@dataclass(frozen=True)
class Translator:
    """The interface in one language; call it with an English message."""

    lang: str = DEFAULT_LANGUAGE

    def __call__(self, message: str, **values: object) -> str:
        """The message in this language, with ``values`` put in. When a value
        is :class:`~markupsafe.Markup` (a link), the result is Markup too and
        everything else in it is escaped."""
        text = message
        if self.lang != "en":
            found = _MESSAGES.get(message)
            if found is not None:
                text = found[0] if self.lang == "vi" else (found[1] or message)
        if not values:
            return text
        if any(isinstance(v, Markup) for v in values.values()):
            return Markup(escape(text)).format(**values)
        return text.format(**values)

    def _pick(self, table: dict[str, tuple[str, str, str]], key: str | None) -> str | None:
        row = table.get(key or "")
        return row[_COLUMN.get(self.lang, 1)] if row is not None else None

    def relation(self, kind: str, incoming: bool = False) -> str:
        """The name of a relation read from its source (``thực hiện``) or,
        with ``incoming``, from its target (``được thực hiện bởi``)."""
        if self.lang == "de":
            found = _RELATIONS_DE.get(kind)
            if found is not None:
                return found[1 if incoming else 0]
        if kind in relation_types.BY_NAME:
            return relation_types.label(kind, "vi" if self.lang == "vi" else "en", incoming=incoming)
        return kind.replace("_", " ")

    def relation_heading(self, kind: str, incoming: bool = False) -> str:
        """A relation name as a heading: its first letter upper case."""
        name = self.relation(kind, incoming)
        return name[:1].upper() + name[1:]

    def relations(self, incoming: bool = False) -> dict[str, str]:
        """Every relation's heading, for templates that take a mapping."""
        return {r.name: self.relation_heading(r.name, incoming) for r in relation_types.TABLE}

    def level(self, level: str | None) -> str:
        found = self._pick(_LEVELS, level)
        return found if found is not None else (level or self("unknown"))

    def status(self, status: str | None) -> str:
        found = self._pick(_STATUS, status)
        return found if found is not None else (status or "").replace("_", " ")

    def source(self, kind: str | None) -> str:
        """Where a value came from (``header``, ``registry``, ``citation``…)."""
        found = self._pick(_SOURCES, kind)
        return found if found is not None else (kind or "")

    def type_name(self, code: str | None) -> str:
        """``NQ`` → ``Nghị quyết`` (Vietnamese), ``Nghị quyết (Resolution)`` otherwise."""
        if not code:
            return self("unknown type")
        # Here: the command line's reports need no part of the tagger.
        from .refs.grammar import TYPE_NAMES

        names = TYPE_NAMES.get(code)
        if not names:
            return code
        return names[0] if self.lang == "vi" else f"{names[0]} ({names[1]})"

    def date(self, value: date | str | None) -> str:
        """``22/12/2024`` (``22.12.2024`` in German); an ISO string is accepted."""
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value[:10])
            except ValueError:
                return str(value)
        sep = "." if self.lang == "de" else "/"
        return f"{value.day:02d}{sep}{value.month:02d}{sep}{value.year:04d}"

    def issuer_group(self, label: str) -> str:
        """An issuer as the reports group by it (:func:`docsearch.graph.model.issuer_label`):
        a body's name as it is, the note on an unnamed one in this language."""
        if label.startswith(_NOT_STATED) and label.endswith(")"):
            return f"({self('issuer not stated: {hint}', hint=label[len(_NOT_STATED):-1])})"
        return label

    def say(self, value: object) -> str:
        """``value`` in this language: a phrase said, anything else as its text."""
        return say(value, self)

    def number(self, n: int) -> str:
        """``12.345`` in Vietnamese and German, ``12,345`` in English."""
        text = f"{n:,}"
        return text if self.lang == "en" else text.replace(",", ".")

    def decimal(self, value: float, places: int = 1) -> str:
        """``12,5`` in Vietnamese and German, ``12.5`` in English."""
        text = f"{value:,.{places}f}"
        if self.lang == "en":
            return text
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")

    def lag(self, days: int | None) -> str:
        """Days after the central document: ``+12 ngày``."""
        return "" if days is None else f"{days:+d} {self('days')}"


@cache
def translator(lang: str | None = None) -> Translator:
    """The interface in ``lang`` (any of :data:`LANGUAGES`; else Vietnamese)."""
    return Translator(normalize_language(lang) or DEFAULT_LANGUAGE)


def messages() -> tuple[str, ...]:
    """Every message the catalogue translates (tests check templates use known ones)."""
    return tuple(_MESSAGES)


class Sayable:
    """A value of a message that reads differently in each language;
    ``str()`` gives its English."""

    def say(self, t: Translator) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.say(translator("en"))


def say(value: object, t: Translator) -> str:
    """``value`` as it reads in ``t``'s language: a :class:`Sayable` said, anything else as text."""
    return value.say(t) if isinstance(value, Sayable) else str(value)


class SaidError(Exception):
    """An error for a user: its message is English text or a phrase, kept
    as ``said`` so that the command line and the web pages can say it in
    the user's language; ``str()`` gives the English."""

    def __init__(self, message: str | Sayable = "", *args: object) -> None:
        super().__init__(str(message), *args)
        self.said = message

    def text(self, t: Translator) -> str:
        """The message in ``t``'s language."""
        return say(self.said, t)


def said_of(exc: BaseException) -> str | Sayable:
    """What ``exc`` says to a user: its phrase where it keeps one, else its text."""
    return exc.said if isinstance(exc, SaidError) else str(exc)


@dataclass(frozen=True)
class Phrase(Sayable):
    """A message kept so that it can be said in any of the interface's
    languages: its English text (the message id, with ``{placeholders}``)
    and the values put in, each a string, a number or a :class:`Sayable`."""

    message: str
    values: tuple[tuple[str, object], ...] = ()

    def say(self, t: Translator) -> str:
        return t(self.message, **{name: say(value, t) for name, value in self.values})


def phrase(message: str, **values: object) -> Phrase:
    """``Phrase(message, values)``: ``phrase("{doc} is dated {date}", doc=..., date=...)``.
    A value other than a string, a number or a :class:`Sayable` (an
    exception, a path) is kept as its text, so that the phrase can cross to
    another process and is the same whenever it is said."""
    return Phrase(message, tuple((name, value if isinstance(value, (str, int, float, Sayable)) else str(value))
                                 for name, value in values.items()))


@dataclass(frozen=True)
class Count(Sayable):
    """A number of things, written as the language writes it (``12.345``, ``12,345``)."""

    value: int

    def say(self, t: Translator) -> str:
        return t.number(self.value)


@dataclass(frozen=True)
class Listed(Sayable):
    """Several values one after another, joined by ``sep`` (``", "``, or
    ``" or "``, which is a message of its own)."""

    items: tuple[object, ...]
    sep: str = ", "

    def say(self, t: Translator) -> str:
        return t(self.sep).join(say(item, t) for item in self.items)


def said_to_json(value: object) -> object:
    """``value`` as JSON keeps it, for :func:`said_from_json` to give back:
    text and numbers as they are, a phrase as ``{"message": …, "values":
    {…}}``, a count as ``{"count": n}``, a list as ``{"items": […], "sep":
    …}``; anything else as its English text."""
    if isinstance(value, Phrase):
        return {"message": value.message, "values": {name: said_to_json(v) for name, v in value.values}}
    if isinstance(value, Count):
        return {"count": value.value}
    if isinstance(value, Listed):
        return {"items": [said_to_json(v) for v in value.items], "sep": value.sep}
    if isinstance(value, (str, int, float)):
        return value
    return str(value)


def said_from_json(data: object) -> str | Sayable:
    """What :func:`said_to_json` kept: a phrase (or a count, a list) again,
    or the text it was (numbers as text)."""
    if isinstance(data, dict):
        if "message" in data:
            values = data.get("values")
            return Phrase(str(data["message"]), tuple((str(name), _value_from_json(v))
                                                      for name, v in (values.items() if isinstance(values, dict) else ())))
        if "count" in data:
            return Count(int(data["count"]))
        if "items" in data and isinstance(data["items"], list):
            return Listed(tuple(_value_from_json(v) for v in data["items"]), str(data.get("sep", ", ")))
    return str(data)


def _value_from_json(data: object) -> object:
    return data if isinstance(data, (int, float)) and not isinstance(data, bool) else said_from_json(data)
