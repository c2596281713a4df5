# Two commands do everything from a fresh clone:
#   make run    install into .venv, ingest corpus/ into indexes/, report on it, build the site
#   make test   install into .venv (with test extras) and run the whole test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DS     := $(VENV)/bin/docsearch
STAMP  := $(VENV)/.installed
# The tagger's compiled build (see compile-tagger below).
TAGGER_COMPILED := find numbers prescan relate tagger header layout structure issuers named
# What the build is compiled against: the package's modules and the models.
TAGGER_SOURCES := $(wildcard src/docsearch/refs/*.py) src/docsearch/models.py src/docsearch/search/vectors.py
TAGGER_BUILT := src/docsearch/refs/.built
# What a build leaves in src: mypyc's shared library and a module per source.
TAGGER_OUTPUT := src/build src/*__mypyc*.so src/docsearch/refs/*.so src/docsearch/search/*.so
COMPILE_TAGGER ?= yes
TAGGER := $(if $(filter no,$(COMPILE_TAGGER)),clean-compiled,$(TAGGER_BUILT))

.PHONY: install system system-test run test lint bench bench-quick clean compile-tagger clean-compiled

# apt-get as the targets below run it: one at a time (two clones set up on one
# machine at once would otherwise fail on dpkg's lock), waiting for another
# package manager's run to end instead of failing.
APT := flock /var/lock/docsearch-apt.lock env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600
# Whether this run may install with apt-get (as root, where there is one), and
# the install of the packages $(1) quietly, as each missing part below does.
CAN_APT = [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1
apt_install = ($(APT) update -qq && $(APT) install -y -qq $(1) >/dev/null)

# OCR needs Tesseract with its Vietnamese data, and the OCR tests render pages
# with DejaVu fonts. Installed with apt-get when running as root and missing;
# otherwise a note says what to install (see README, "Scanned documents").
# The PostgreSQL tests need the server binaries, and full-text search in
# PostgreSQL uses the RUM extension where present (GIN otherwise; CI requires it).
system:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie \
	    && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ]; then :; \
	elif $(CAN_APT); then \
	  echo "Installing tesseract-ocr, tesseract-ocr-vie and fonts-dejavu-core with apt-get"; \
	  $(call apt_install,tesseract-ocr tesseract-ocr-vie fonts-dejavu-core) \
	  || echo "apt-get failed: scanned documents will not be read (see README)"; \
	else \
	  echo "note: Tesseract with Vietnamese data is missing; scanned documents will not be read."; \
	  echo "      Install tesseract-ocr and tesseract-ocr-vie (see README, 'Scanned documents')."; \
	fi
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then :; \
	elif $(CAN_APT); then \
	  echo "Installing postgresql (server binaries for the PostgreSQL tests) with apt-get"; \
	  $(call apt_install,postgresql) \
	  || echo "apt-get failed: the PostgreSQL tests will be skipped (see README)"; \
	else \
	  echo "note: PostgreSQL server binaries are missing; the PostgreSQL tests will be skipped."; \
	  echo "      Install Debian's postgresql package (see README, 'PostgreSQL')."; \
	fi
	@v=$$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1); \
	if [ -z "$$v" ] || [ -f /usr/share/postgresql/$$v/extension/rum.control ]; then :; \
	elif $(CAN_APT); then \
	  echo "Installing postgresql-$$v-rum (the RUM index for full-text search in PostgreSQL) with apt-get"; \
	  $(call apt_install,postgresql-$$v-rum) \
	  || echo "apt-get failed: full-text search in PostgreSQL will use GIN (see docs/search.md)"; \
	else \
	  echo "note: the RUM extension of PostgreSQL is missing; full-text search in PostgreSQL uses GIN."; \
	  echo "      Install postgresql-$$v-rum (see docs/search.md, 'PostgreSQL')."; \
	fi

# The browser tests drive Debian's Chromium (never a browser downloaded by
# playwright); installed here for the test suite only, as root.
system-test:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif $(CAN_APT); then \
	  echo "Installing chromium (for the browser tests) with apt-get"; \
	  $(call apt_install,chromium) \
	  || echo "apt-get failed: the browser tests will be skipped (see README)"; \
	else \
	  echo "note: Chromium is missing; the browser tests will be skipped."; \
	  echo "      Install Debian's chromium package (see README)."; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: system $(STAMP) $(TAGGER)

run: system $(STAMP) $(TAGGER)
	$(DS) ingest corpus/
	$(DS) stats
	$(DS) implements "Resolution 57" --depth 2
	$(DS) coverage "Resolution 57"
	$(DS) search "nghi quyet 57 chuyen doi so" --limit 5
	$(DS) site build indexes/site
	@echo "Open indexes/site/index.html in a browser, or run '$(DS) serve' and open http://127.0.0.1:8080/"

# The whole test suite, after ruff and mypy (one finding fails it).
test: system system-test $(STAMP) $(TAGGER) lint
	$(PY) -m pytest

lint: $(STAMP)
	@status=0; $(VENV)/bin/ruff check src tests bench || status=1; $(VENV)/bin/mypy || status=1; exit $$status

# Every benchmark (under 20 minutes once the generated corpora exist in
# $$TMPDIR/docsearch-bench); bench-quick is the short run (under 3 minutes).
bench: $(STAMP) $(TAGGER)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/run.py

bench-quick: $(STAMP) $(TAGGER)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/run.py --quick

# The tagger's modules compiled to C with mypyc (it comes with mypy; needs a C
# compiler and Python's headers), in place beside their sources: the same
# results, and the tagger 1.2-1.4x faster (docs/benchmarks.md, "Tagger speed").
# Built by install, run, test and bench, and again when a module of the
# package or the models module changes. Where it cannot be built, or with
# `make COMPILE_TAGGER=no ...`, the tagger runs from its sources; a build
# older than a source is never used (src/docsearch/refs/compiled.py).

# Compiled in a copy of the package, and the built modules copied in only when
# all are made: an interrupted or failed build leaves none of them in src.
TAGGER_WORK := $(VENV)/tagger-build

$(TAGGER_BUILT): $(STAMP) $(TAGGER_SOURCES)
	@rm -rf $(TAGGER_OUTPUT) $(TAGGER_WORK)
	@echo "Compiling the tagger with mypyc (about two minutes; 'make COMPILE_TAGGER=no ...' runs it from its sources)"
	@mkdir -p $(TAGGER_WORK) && cp -R src/docsearch $(TAGGER_WORK)/ && \
	if (cd $(TAGGER_WORK) && $(CURDIR)/$(VENV)/bin/mypyc $(addprefix docsearch/refs/,$(addsuffix .py,$(TAGGER_COMPILED)))) \
	    > $(VENV)/mypyc.log 2>&1; then \
	  cp $(TAGGER_WORK)/docsearch/refs/*.so src/docsearch/refs/ && cp $(TAGGER_WORK)/*__mypyc*.so src/; \
	else \
	  echo "note: the tagger could not be compiled (see $(VENV)/mypyc.log); it runs from its sources, more slowly"; \
	fi
	@# The full-text rows' vectors, which an ingest into PostgreSQL makes for every text: a module of its own.
	@if (cd $(TAGGER_WORK) && $(CURDIR)/$(VENV)/bin/mypyc docsearch/search/vectors.py) >> $(VENV)/mypyc.log 2>&1; then \
	  cp $(TAGGER_WORK)/docsearch/search/vectors*.so src/docsearch/search/; \
	else \
	  echo "note: docsearch.search.vectors could not be compiled (see $(VENV)/mypyc.log); it runs from its source"; \
	fi
	@rm -rf $(TAGGER_WORK)
	@touch $@

compile-tagger:
	rm -f $(TAGGER_BUILT)
	$(MAKE) $(TAGGER_BUILT)

clean-compiled:
	rm -rf $(TAGGER_OUTPUT) $(TAGGER_BUILT)

clean: clean-compiled
	rm -rf $(VENV) indexes/docsearch.sqlite* indexes/docsearch.lock indexes/fulltext indexes/site
