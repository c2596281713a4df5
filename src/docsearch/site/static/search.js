/* docsearch: search the static site in the browser.
 *
 * The index is a set of script files that call DS.manifest, DS.shard and
 * DS.docs when loaded (script tags work from file:// where fetch does not).
 * Terms are folded like the Python side: NFD, marks removed, đ/Đ/Ð/ð -> d,
 * ß -> s, lowercase, then runs of [a-z0-9]. A query matches documents that
 * have every term in their metadata or text; metadata counts more. The last
 * term also matches as a prefix while it is being typed (a single letter
 * waits for the next one). Filters (type: year: date: issuer: lang:
 * level:) are checked against each hit's row in the document files, lang:
 * and level: with the values `docsearch search` accepts (the manifest lists
 * them); cites:/implements:/id: require the number's words.
 */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var base = root + "search/";
  var PAGE = 30;
  var MAX_PREFIX_TERMS = 60;
  var MAX_PREFIX_SHARDS = 8;

  var pending = {};
  var loaded = {};
  var manifest = null;
  var shardSet = null;

  function settle(name, value) {
    loaded[name] = value;
    var waiting = pending[name];
    if (waiting) { waiting.resolve(value); }
  }

  window.DS = {
    manifest: function (m) { settle("manifest", m); },
    shard: function (name, terms) { settle("t/" + name, terms); },
    docs: function (n, rows) { settle("d/" + n, rows); }
  };

  function load(name) {
    if (Object.prototype.hasOwnProperty.call(loaded, name)) { return Promise.resolve(loaded[name]); }
    if (pending[name]) { return pending[name].promise; }
    var entry = {};
    entry.promise = new Promise(function (resolve, reject) {
      entry.resolve = resolve;
      var s = document.createElement("script");
      s.src = base + name + ".js";
      s.async = true;
      s.onerror = function () { delete pending[name]; reject(new Error("cannot load the search index file " + s.src)); };
      document.head.appendChild(s);
    });
    pending[name] = entry;
    return entry.promise;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u0111\u0110\u00d0\u00f0]/g, "d").replace(/\u00df/g, "s").toLowerCase();
  }

  function tokens(text) {
    var out = [];
    var seen = {};
    var found = fold(text).match(/[a-z0-9]+/g) || [];
    for (var i = 0; i < found.length; i++) {
      var t = found[i];
      if (t.length <= 40 && !seen[t]) { seen[t] = true; out.push(t); }
    }
    return out;
  }

  function shardOf(term) {
    for (var k = 1; k <= term.length; k++) {
      if (shardSet[term.slice(0, k)]) { return term.slice(0, k); }
    }
    if (shardSet[term + "_"]) { return term + "_"; }
    return null;
  }

  function prefixShards(prefix) {
    var own = shardOf(prefix);
    if (own && own.length <= prefix.length && own !== prefix + "_") { return [own]; }
    var out = [];
    for (var i = 0; i < manifest.shards.length; i++) {
      if (manifest.shards[i].indexOf(prefix) === 0) { out.push(manifest.shards[i]); }
    }
    return out.length <= MAX_PREFIX_SHARDS ? out : [];
  }

  // Posting lists are decoded once and kept: typing reuses them.
  var decoded = new Map();
  function decode(list) {
    if (!list) { return []; }
    var found = decoded.get(list);
    if (found) { return found; }
    var out = [];
    var total = 0;
    var start = 0;
    for (var i = 0; i <= list.length; i++) {
      if (i === list.length || list.charCodeAt(i) === 44) {
        total += parseInt(list.slice(start, i), 36);
        out.push(total);
        start = i + 1;
      }
    }
    if (decoded.size > 2000) { decoded.clear(); }
    decoded.set(list, out);
    return out;
  }

  function has(sorted, doc) {
    var lo = 0;
    var hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      var v = sorted[mid];
      if (v === doc) { return true; }
      if (v < doc) { lo = mid + 1; } else { hi = mid - 1; }
    }
    return false;
  }

  // One query term: the posting lists of its word (or, for the word being
  // typed, of the words it begins) with their weights: 8 for a document's
  // own number, 3 for its metadata, 1 for its text.
  function termLists(entries) {
    var words = [];
    var common = false;
    var size = 0;
    for (var i = 0; i < entries.length; i++) {
      var lists = [[entries[i][0], 3]];
      if (entries[i][1] === 1) { common = true; } else { lists.push([entries[i][1], 1]); }
      if (entries[i].length > 2) { lists.push([entries[i][2], 8]); }
      for (var j = 0; j < lists.length; j++) { size += lists[j][0].length; }
      words.push(lists);
    }
    return { words: words, common: common, size: size };
  }

  function termScore(term, doc) {
    var best = 0;
    for (var i = 0; i < term.words.length; i++) {
      var score = 0;
      var lists = term.words[i];
      for (var j = 0; j < lists.length; j++) {
        if (has(decode(lists[j][0]), doc)) { score += lists[j][1]; }
      }
      if (score > best) { best = score; }
    }
    return best;
  }

  // The documents of the rarest term, then each checked against the others.
  function rank(perTerm, total) {
    var strict = perTerm.filter(function (r) { return !r.common; });
    var hits = [];
    var candidates;
    if (strict.length) {
      strict.sort(function (a, b) { return a.size - b.size; });
      var seen = new Set();
      strict[0].words.forEach(function (lists) {
        lists.forEach(function (l) { decode(l[0]).forEach(function (d) { seen.add(d); }); });
      });
      candidates = seen;
    } else {
      // Only very common words: every document has them.
      candidates = [];
      for (var d = 0; d < total; d++) { candidates.push(d); }
    }
    candidates.forEach(function (doc) {
      var sum = 0;
      for (var i = 0; i < perTerm.length; i++) {
        var score = termScore(perTerm[i], doc);
        if (score === 0 && !perTerm[i].common) { return; }
        sum += score;  // common words filter nothing but still rank
      }
      hits.push([doc, sum]);
    });
    hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return hits;
  }

  // Filters of the query language (as in `docsearch search`): those the
  // static index can answer are applied to each hit's row (type, date and
  // issuer from its listing line, language and level from their own
  // columns); cites:/implements: require the number's words; others are
  // reported as not applied.
  var FILTER = /(^|\s)(-?)(type|year|date|issuer|lang|level|cites|implements|id):("[^"]*"|\S+)/gi;

  function parseQuery(query) {
    var filters = [];
    var text = query.replace(FILTER, function (all, space, neg, name, value) {
      filters.push({ name: name.toLowerCase(), value: value.replace(/^"|"$/g, ""), negated: neg === "-" });
      return space + " ";
    });
    filters.forEach(function (f) {
      if (f.name === "cites" || f.name === "implements" || f.name === "id") { text += " " + f.value; }
    });
    return { text: text, filters: filters };
  }

  function rowFacts(row) {
    var parts = (row[2] || "").split(" \u00b7 ");
    var date = parts.filter(function (p) { return /^\d{4}-\d{2}-\d{2}$/.test(p); })[0] || "";
    return { type: parts[0] || "", date: date, year: date.slice(0, 4), all: fold(row[2] || ""),
             lang: row[3] || "", level: row[4] || "" };
  }

  // lang:vi,en / level:"trung uong": each value (folded, spaces collapsed)
  // looked up in the manifest's table; an unknown one is a mistake to say,
  // as the command line says it.
  function keywordValues(f) {
    var table = (manifest.values || {})[f.name] || {};
    var out = [];
    var unknown = [];
    f.value.split(",").forEach(function (v) {
      var key = fold(v).split(/\s+/).filter(Boolean).join(" ");
      if (!key) { return; }
      if (Object.prototype.hasOwnProperty.call(table, key)) { out.push(table[key]); } else { unknown.push(v.trim()); }
    });
    return { values: out, unknown: unknown, known: Object.keys(table).map(function (k) { return table[k]; })
      .filter(function (v, i, all) { return all.indexOf(v) === i; }).sort() };
  }

  function inRange(value, spec) {
    if (!value) { return false; }
    var range = spec.split("..");
    if (range.length === 2) { return (!range[0] || value >= range[0]) && (!range[1] || value <= range[1] + "\uffff"); }
    var m = /^(>=|<=|>|<)(.*)$/.exec(spec);
    if (m) {
      if (m[1] === ">=") { return value >= m[2]; }
      if (m[1] === "<=") { return value <= m[2] + "\uffff"; }
      if (m[1] === ">") { return value > m[2] + "\uffff"; }
      return value < m[2];
    }
    return value.indexOf(spec) === 0;
  }

  function matches(row, f) {
    var facts = rowFacts(row);
    var ok;
    if (f.name === "type") { ok = fold(facts.type) === fold(f.value); }
    else if (f.name === "year") { ok = inRange(facts.year, f.value); }
    else if (f.name === "date") { ok = inRange(facts.date, f.value); }
    else if (f.name === "issuer") { ok = facts.all.indexOf(fold(f.value)) >= 0; }
    else if (f.name === "lang" || f.name === "level") { ok = f.values.indexOf(facts[f.name]) >= 0; }
    else { ok = true; }
    return f.negated ? !ok : ok;
  }

  var APPLIED = { type: 1, year: 1, date: 1, issuer: 1, lang: 1, level: 1 };
  var MAX_FILTERED = 5000;

  function applyFilters(result, filters) {
    var used = filters.filter(function (f) { return APPLIED[f.name]; });
    result.invalid = [];
    used.forEach(function (f) {
      if (f.name !== "lang" && f.name !== "level") { return; }
      var found = keywordValues(f);
      f.values = found.values;
      found.unknown.forEach(function (v) {
        result.invalid.push({ name: f.name, value: v, known: found.known.join(", ") });
      });
    });
    if (result.invalid.length) { result.hits = []; return Promise.resolve(result); }
    result.unapplied = filters.filter(function (f) {
      return !APPLIED[f.name] && f.name !== "cites" && f.name !== "implements" && f.name !== "id";
    }).map(function (f) { return f.name + ":" + f.value; });
    if (!used.length) { return Promise.resolve(result); }
    var hits = result.hits.slice(0, MAX_FILTERED);
    return docsFor(hits.map(function (h) { return h[0]; })).then(function (rows) {
      result.hits = hits.filter(function (h, i) {
        return used.every(function (f) { return matches(rows[i], f); });
      });
      return result;
    });
  }

  function search(query) {
    var parsed = parseQuery(query);
    return searchText(parsed.text, query, !parsed.filters.length).then(function (result) {
      if (!result.terms.length && parsed.filters.length) {
        // Only filters: every document is a candidate.
        var all = [];
        for (var d = 0; d < manifest.documents; d++) { all.push([d, 0]); }
        result = { terms: [], hits: all, ignored: [] };
      }
      return applyFilters(result, parsed.filters);
    });
  }

  function searchText(query, original, typingAllowed) {
    return load("manifest").then(function (m) {
      manifest = m;
      if (!shardSet) {
        shardSet = {};
        for (var i = 0; i < m.shards.length; i++) { shardSet[m.shards[i]] = true; }
      }
      var terms = tokens(query);
      var typing = typingAllowed && !/\s$/.test(original);
      // A single letter being typed is not a word yet: it would empty the
      // results until the next key. It counts once it is followed by a space.
      if (typing && terms.length > 1 && terms[terms.length - 1].length < 2) { terms.pop(); }
      if (!terms.length) { return { terms: [], hits: [], ignored: [] }; }
      var last = terms[terms.length - 1];
      var names = {};
      terms.forEach(function (t) { var s = shardOf(t); if (s) { names[s] = true; } });
      if (typing && last.length >= 2) { prefixShards(last).forEach(function (s) { names[s] = true; }); }
      var wanted = Object.keys(names);
      return Promise.all(wanted.map(function (n) { return load("t/" + n); })).then(function () {
        var perTerm = [];
        var ignored = [];
        terms.forEach(function (t, index) {
          var entries = [];
          var s = shardOf(t);
          var data = s ? loaded["t/" + s] : null;
          if (data && Object.prototype.hasOwnProperty.call(data, t)) { entries.push(data[t]); }
          // The word being typed also matches as a prefix, unless it is a
          // whole word already (that would only add noise, and time).
          if (typing && index === terms.length - 1 && t.length >= 2 && !entries.length) {
            var extra = 0;
            prefixShards(t).forEach(function (name) {
              var d = loaded["t/" + name] || {};
              for (var key in d) {
                if (extra >= MAX_PREFIX_TERMS) { break; }
                if (key.indexOf(t) === 0 && Object.prototype.hasOwnProperty.call(d, key)) {
                  entries.push(d[key]); extra++;
                }
              }
            });
          }
          var r = termLists(entries);
          if (r.common) { ignored.push(t); }
          perTerm.push(r);
        });
        var hits = rank(perTerm, manifest.documents);
        return { terms: terms, hits: hits, ignored: ignored };
      });
    });
  }

  function docsFor(numbers) {
    var files = {};
    numbers.forEach(function (n) { files[Math.floor(n / manifest.perFile)] = true; });
    return Promise.all(Object.keys(files).map(function (f) { return load("d/" + f); })).then(function () {
      return numbers.map(function (n) {
        var rows = loaded["d/" + Math.floor(n / manifest.perFile)];
        return rows[n % manifest.perFile];
      });
    });
  }

  // --- the page ------------------------------------------------------------------
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  if (!form || !input || !status || !list) { return; }
  var current = null;
  var shown = 0;
  var generation = 0;

  function say(text) { status.textContent = text; }
  function msg(name, fallback, values) {
    var text = status.getAttribute("data-msg-" + name) || fallback;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }
  var locale = document.documentElement.getAttribute("lang") || "en";

  // A row's listing line is written once, in English words and ISO dates (the
  // filters read it); it is shown in the page's language: dd/mm/yyyy
  // (dd.mm.yyyy in German) and the page's words for the fixed phrases.
  function shownLine(line) {
    return (line || "").split(" \u00b7 ").map(function (part) {
      var d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(part);
      if (d) { var sep = locale === "de" ? "." : "/"; return d[3] + sep + d[2] + sep + d[1]; }
      if (part === "in the collection") { return msg("stored", part); }
      if (part === "known from citations") { return msg("cited", part); }
      if (part === "text without a document number") { return msg("nonumber", part); }
      var copy = /^copy of (.+)$/.exec(part);
      if (copy) { return msg("copy", part, { doc: copy[1] }); }
      return part;
    }).join(" \u00b7 ");
  }

  function render(result, upto) {
    var slice = result.hits.slice(shown, upto).map(function (h) { return h[0]; });
    var mine = generation;
    return docsFor(slice).then(function (rows) {
      if (mine !== generation) { return; }
      rows.forEach(function (row) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + row[0];
        a.textContent = row[1];
        li.appendChild(a);
        var sub = document.createElement("span");
        sub.className = "sub";
        sub.textContent = shownLine(row[2]);
        li.appendChild(sub);
        list.appendChild(li);
        if (snippets < SNIPPETS) { snippets++; addSnippet(li, root + row[0], result.terms, mine); }
      });
      shown = upto;
      more.hidden = shown >= result.hits.length;
    });
  }

  // --- snippets --------------------------------------------------------------------
  // The static index holds no text, so over http(s) the first results' pages
  // are read (as inert documents: nothing in them runs) and the passage with
  // the first query word is shown, the words marked. From disk (file://),
  // where pages cannot be read, results have no snippet.
  var SNIPPETS = 10;
  var WINDOW = 220;
  var snippets = 0;
  var canFetch = /^https?:$/.test(window.location.protocol) && typeof DOMParser !== "undefined";

  function foldedWithMap(text) {
    var out = [];
    var map = [];
    for (var i = 0; i < text.length; i++) {
      var f = fold(text[i]);
      for (var j = 0; j < f.length; j++) { out.push(f[j]); map.push(i); }
    }
    return { text: out.join(""), map: map };
  }

  function findWord(folded, term, from) {
    var at = folded.indexOf(term, from);
    while (at >= 0) {
      var before = at === 0 ? "" : folded[at - 1];
      if (!/[a-z0-9]/.test(before)) { return at; }
      at = folded.indexOf(term, at + 1);
    }
    return -1;
  }

  function addSnippet(li, href, terms, mine) {
    var words = (terms || []).filter(function (t) { return t.length >= 2; });
    if (!canFetch || !words.length) { return; }
    fetch(href, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
      if (!html || mine !== generation) { return; }
      var doc = new DOMParser().parseFromString(html, "text/html");
      var body = doc.querySelector("div.text");
      if (!body) { return; }
      var text = (body.textContent || "").slice(0, 40000);
      var f = foldedWithMap(text);
      var first = -1;
      words.forEach(function (w) {
        var at = findWord(f.text, w, 0);
        if (at >= 0 && (first < 0 || at < first)) { first = at; }
      });
      if (first < 0) { return; }
      var start = Math.max(0, f.map[first] - 60);
      var end = Math.min(text.length, start + WINDOW);
      var spans = [];
      words.forEach(function (w) {
        var from = 0;
        for (;;) {
          var at = findWord(f.text, w, from);
          if (at < 0) { break; }
          var s0 = f.map[at];
          var e0 = f.map[Math.min(at + w.length, f.map.length) - 1] + 1;
          if (s0 >= end) { break; }
          if (s0 >= start) {
            if (e0 > end) { end = e0; }  // a word is never cut by the window
            spans.push([s0, e0]);
          }
          from = at + w.length;
        }
      });
      spans.sort(function (a, b) { return a[0] - b[0]; });
      var p = document.createElement("p");
      p.className = "snippet";
      var pos = start;
      p.appendChild(document.createTextNode(start > 0 ? "\u2026" : ""));
      spans.forEach(function (sp) {
        if (sp[0] < pos) { return; }
        p.appendChild(document.createTextNode(text.slice(pos, sp[0])));
        var m = document.createElement("mark");
        m.textContent = text.slice(sp[0], sp[1]);
        p.appendChild(m);
        pos = sp[1];
      });
      p.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? "\u2026" : "")));
      li.appendChild(p);
    }).catch(function () { /* no snippet: the result stays as it is */ });
  }

  function run(query) {
    generation++;
    var mine = generation;
    list.textContent = "";
    shown = 0;
    snippets = 0;
    more.hidden = true;
    if (!tokens(query).length) { say(query.trim() ? msg("typing", "Type letters or digits to search.") : ""); return Promise.resolve(); }
    say(msg("searching", "Searching…"));
    return search(query).then(function (result) {
      if (mine !== generation) { return; }
      current = result;
      var n = result.hits.length;
      var quoted = "\u201c" + query.trim() + "\u201d";
      var text;
      if (status.hasAttribute("data-msg-count")) {
        text = n === 0 ? msg("none", "") + " " + quoted + "." : msg("count", "", { n: n.toLocaleString(locale) }) + " " + quoted + ".";
      } else {
        text = (n === 0 ? "No document matches " : (n === 1 ? "1 document matches " : n.toLocaleString("en") + " documents match ")) + quoted + ".";
      }
      if (result.ignored.length) { text += " " + msg("common", "Very common words were not used to filter: {words}.", { words: result.ignored.join(", ") }); }
      if (result.invalid && result.invalid.length) {
        text = result.invalid.map(function (bad) {
          return msg("badvalue", "Unknown {name} value {value}: use one of {known}.", bad);
        }).join(" ");
      }
      if (result.unapplied && result.unapplied.length) { text += " " + msg("unapplied", "Filters this page cannot apply: {filters}.", { filters: result.unapplied.join(", ") }); }
      say(text);
      return render(result, Math.min(PAGE, n));
    }).catch(function (err) {
      if (mine === generation) { say(msg("failed", "Search failed: {error}", { error: err.message })); }
    });
  }

  function remember(query) {
    try {
      var url = new URL(window.location.href);
      url.searchParams.set("q", query);
      window.history.replaceState(null, "", url.toString());
    } catch (e) { /* some browsers refuse this for file:// pages: the search still works */ }
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(input.value); run(input.value); }, 120);
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    run(input.value);
  });
  more.addEventListener("click", function () {
    if (current) { render(current, Math.min(shown + PAGE, current.hits.length)); }
  });

  window.DS.fold = fold;
  window.DS.tokens = tokens;
  window.DS.search = search;
  window.DS.docsFor = docsFor;

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();
