// Search for a dossier website, offline: the index is a set of small
// scripts under search/ (written by the build), loaded with <script> tags
// because the Fetch API is blocked on file:// pages. Only the manifest, the
// shards of the words typed and the bundles of the documents shown are ever
// loaded.
//
// Content never runs: results are built with textContent and createElement.
(function () {
  "use strict";

  var box = document.querySelector(".search[data-root]");
  if (!box) return;
  var root = box.getAttribute("data-root") || "";
  var input = box.querySelector("input[type=search]");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  if (!input || !status || !results) return;

  var PAGE = 10;
  var manifest = null;
  var shardKeys = null;
  var stopWords = null;
  var splitKeys = null;
  var bundleStarts = null;
  var shards = Object.create(null);
  var documents = Object.create(null);
  var loading = Object.create(null);
  var generation = 0;
  var shown = PAGE;

  // The index's scripts register themselves here.
  window.dossierSearch = {
    setup: function (value) {
      manifest = value;
      shardKeys = new Set(value.shards);
      stopWords = new Set(value.stopWords);
      splitKeys = new Set(value.split);
      // Bundle n holds the documents from bundleStarts[n] on.
      bundleStarts = [];
      var start = 0;
      decodeNumbers(value.bundles || "").forEach(function (count) {
        bundleStarts.push(start);
        start += count;
      });
    },
    addShard: function (key, terms) { shards[key] = terms; },
    addDocuments: function (first, docs) {
      docs.forEach(function (doc, i) { documents[first + i] = doc; });
    }
  };

  function load(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = root + path;
        script.onload = function () { resolve(true); };
        script.onerror = function () { resolve(false); };
        document.head.appendChild(script);
      });
    }
    return loading[path];
  }

  // Folding as the build folds: the manifest lists how every foldable
  // character of the dossier folds; other Latin letters lose their marks.
  function foldChar(c) {
    var folded = manifest.folds[c];
    if (folded !== undefined) return folded.toLowerCase();
    var code = c.codePointAt(0);
    if ((code >= 0xc0 && code <= 0x24f) || (code >= 0x1e00 && code <= 0x1eff)) {
      c = c.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    }
    return c.toLowerCase();
  }

  // The folded text and, for each of its code units, where it came from.
  function foldWithOrigins(text) {
    var folded = "";
    var starts = [];
    var ends = [];
    for (var i = 0; i < text.length;) {
      var c = String.fromCodePoint(text.codePointAt(i));
      var f = foldChar(c);
      for (var j = 0; j < f.length; j++) { starts.push(i); ends.push(i + c.length); }
      folded += f;
      i += c.length;
    }
    return { text: folded, starts: starts, ends: ends };
  }

  var nonWord = /[^\p{Alphabetic}\p{N}]+/u;
  var segmenter = typeof Intl !== "undefined" && Intl.Segmenter
    ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;

  // Words as the index has them: folded, lowercased, two characters or more.
  // Queries are composed first: a keyboard may type `ü` as `u` and a mark.
  function terms(text) {
    var folded = foldWithOrigins(text.normalize("NFC")).text;
    var words = [];
    if (segmenter) {
      for (var s of segmenter.segment(folded)) if (s.isWordLike) words.push(s.segment);
    } else {
      words.push(folded);
    }
    var out = [];
    words.forEach(function (word) {
      word.split(nonWord).forEach(function (t) {
        if (Array.from(t).length >= 2 && out.indexOf(t) < 0) out.push(t);
      });
    });
    return out;
  }

  // The shards that may hold `term` or words starting with it: keys are a
  // word's first two characters, or more where a large shard was split.
  function shardKeysOf(term) {
    var chars = Array.from(term);
    var keys = [];
    for (var n = 1; n <= chars.length; n++) {
      var key = chars.slice(0, n).join("");
      if (shardKeys.has(key)) keys.push(key);
    }
    return keys;
  }

  function loadShards(term) {
    return Promise.all(shardKeysOf(term).map(function (key) {
      return load("search/terms/" + (manifest.files[key] || key) + ".js");
    }));
  }

  // Posting lists are pairs of numbers (document id minus the previous one,
  // score), each in base 32 with the sixth bit of a character saying
  // another follows.
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT_VALUES = Object.create(null);
  for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUES[DIGITS[d]] = d;

  function decodeNumbers(encoded) {
    var numbers = [];
    var n = 0;
    var scale = 1;
    for (var i = 0; i < encoded.length; i++) {
      var v = DIGIT_VALUES[encoded[i]];
      n += (v & 31) * scale;
      if (v & 32) { scale *= 32; } else { numbers.push(n); n = 0; scale = 1; }
    }
    return numbers;
  }

  function eachPosting(encoded, visit) {
    var numbers = decodeNumbers(encoded);
    var id = 0;
    for (var j = 0; j + 1 < numbers.length; j += 2) {
      id += numbers[j];
      visit(id, numbers[j + 1]);
    }
  }

  // Documents matching `term` as a word or a word's beginning: id → score.
  // A whole-word match weighs more than a prefix.
  function matches(term) {
    var found = new Map();
    shardKeysOf(term).forEach(function (key) {
      var shard = shards[key] || {};
      Object.keys(shard).forEach(function (word) {
        if (word.lastIndexOf(term, 0) !== 0) return;
        var weight = word === term ? 2 : term.length / word.length;
        eachPosting(shard[word], function (id, score) {
          found.set(id, (found.get(id) || 0) + score * weight);
        });
      });
    });
    return found;
  }

  // Documents matching every term, best first. Stop words (`the`) are not
  // in the text's index: they only add to the score of names holding them,
  // unless the query has nothing else.
  function rank(queryTerms) {
    var required = queryTerms.filter(function (t) { return !stopWords.has(t); });
    if (!required.length) required = queryTerms;
    var optional = queryTerms.filter(function (t) { return required.indexOf(t) < 0; });
    var perTerm = required.map(matches);
    var bonus = optional.map(matches);
    var ranked = [];
    perTerm[0].forEach(function (first, id) {
      var score = 0;
      for (var i = 0; i < perTerm.length; i++) {
        var hit = perTerm[i].get(id);
        if (hit === undefined) return;
        score += hit;
      }
      bonus.forEach(function (m) { score += m.get(id) || 0; });
      ranked.push({ id: id, score: score });
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return ranked;
  }

  // The bundle holding document `id`: the last one starting at or before it.
  function bundleOf(id) {
    var low = 0;
    var high = bundleStarts.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (bundleStarts[mid] <= id) low = mid; else high = mid - 1;
    }
    return low;
  }

  // Loads the bundles of the documents of `page`, each bundle once.
  function loadDocuments(page) {
    var bundles = [];
    page.forEach(function (r) {
      var n = bundleOf(r.id);
      if (bundles.indexOf(n) < 0) bundles.push(n);
    });
    return Promise.all(bundles.map(function (n) { return load("search/docs/" + n + ".js"); }));
  }

  // The paragraph (1-based) holding the most query terms, the first of
  // equals; 0 when only the title matched.
  function bestParagraph(doc, queryTerms) {
    var best = 0;
    var bestCount = 0;
    doc.paragraphs.forEach(function (text, index) {
      var folded = foldWithOrigins(text);
      var count = queryTerms.filter(function (t) { return findWords(folded, [t]).length; }).length;
      if (count > bestCount) { best = index + 1; bestCount = count; }
    });
    return best;
  }

  // Runs the query in the box; `after` runs once its results are shown.
  function search(after) {
    var query = input.value;
    var mine = ++generation;
    var queryTerms = terms(query);
    if (!query.trim()) { clear(); return; }
    if (!queryTerms.length) { say("Type two letters or more to search."); showList([], query); return; }
    load("search/index.js")
      .then(function () {
        if (!manifest) throw new Error("search index missing");
        return Promise.all(queryTerms.map(loadShards));
      })
      .then(function () {
        var ranked = rank(queryTerms);
        var page = ranked.slice(0, shown);
        return loadDocuments(page)
          .then(function () {
            if (mine !== generation) return;
            showList(page, query, queryTerms, ranked.length);
            if (after) after();
          });
      })
      .catch(function () {
        if (mine === generation) say("Search is unavailable: the index was not found.");
      });
  }

  function say(text) { status.textContent = text; }

  function clear() {
    generation++;
    results.hidden = true;
    results.replaceChildren();
    results.removeAttribute("data-query");
    say("");
  }

  function showList(page, query, queryTerms, total) {
    results.replaceChildren();
    results.hidden = false;
    total = total || 0;
    var summary = total === 0 ? "No results for “" + query.trim() + "”."
      : total + (total === 1 ? " result" : " results") +
        (total > page.length ? ", showing " + page.length : "") + ".";
    // A word of a split shard is matched whole until more of it is typed.
    var cut = (queryTerms || []).filter(function (t) { return splitKeys.has(t); });
    if (cut.length) summary += " Type more of “" + cut[0] + "” to find longer words.";
    say(summary);
    results.setAttribute("data-query", query);
    var heading = document.createElement("p");
    heading.className = "search-summary";
    heading.textContent = summary;
    results.appendChild(heading);
    if (!page.length) return;
    var list = document.createElement("ol");
    list.className = "search-list";
    page.forEach(function (r) { list.appendChild(resultItem(r, queryTerms)); });
    results.appendChild(list);
    if (total > page.length) {
      var more = document.createElement("button");
      more.type = "button";
      more.className = "search-more";
      more.textContent = "Show more results";
      more.addEventListener("click", function () {
        var focusAt = shown;
        shown += PAGE;
        search(function () { focusResult(focusAt); });
      });
      results.appendChild(more);
    }
  }

  function resultItem(r, queryTerms) {
    var doc = documents[r.id];
    var item = document.createElement("li");
    var link = document.createElement("a");
    var isSource = doc.kind === "source";
    r.paragraph = bestParagraph(doc, queryTerms);
    link.href = root + doc.url + (isSource && r.paragraph > 0 ? "#p" + r.paragraph : "");
    var title = document.createElement("span");
    title.className = "search-title";
    title.textContent = doc.title;
    var kind = document.createElement("span");
    kind.className = "search-kind kind-" + doc.kind;
    kind.textContent = isSource
      ? [r.paragraph > 0 ? "¶" + r.paragraph : "source", doc.meta].filter(Boolean).join(" · ")
      : doc.kind;
    link.appendChild(title);
    link.appendChild(document.createTextNode(" "));
    link.appendChild(kind);
    var text = isSource
      ? doc.paragraphs[Math.max(r.paragraph, 1) - 1]
      : (r.paragraph > 0 ? doc.paragraphs[r.paragraph - 1] : doc.meta);
    if (text) {
      var snippet = document.createElement("span");
      snippet.className = "search-snippet";
      appendSnippet(snippet, text, queryTerms);
      link.appendChild(snippet);
    }
    item.appendChild(link);
    return item;
  }

  // Original ranges of the words of `folded` that start with a term.
  function findWords(folded, queryTerms) {
    var ranges = [];
    var text = folded.text;
    queryTerms.forEach(function (term) {
      for (var at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
        if (at > 0 && !nonWord.test(text[at - 1])) continue;
        var end = at + term.length;
        while (end < text.length && !nonWord.test(text[end])) end++;
        ranges.push([folded.starts[at], folded.ends[end - 1]]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    return ranges;
  }

  var CONTEXT = 90;

  // Appends the part of `text` around the first match, matches marked.
  function appendSnippet(parent, text, queryTerms) {
    var ranges = findWords(foldWithOrigins(text), queryTerms);
    var from = 0;
    var to = text.length;
    if (ranges.length && ranges[0][0] > CONTEXT) from = text.lastIndexOf(" ", ranges[0][0] - CONTEXT / 2) + 1;
    if (to - from > CONTEXT * 2) to = text.indexOf(" ", from + CONTEXT * 2);
    if (to < 0) to = text.length;
    if (from > 0) parent.appendChild(document.createTextNode("… "));
    var at = from;
    ranges.forEach(function (range) {
      if (range[0] < at || range[1] > to) return;
      parent.appendChild(document.createTextNode(text.slice(at, range[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(range[0], range[1]);
      parent.appendChild(mark);
      at = range[1];
    });
    parent.appendChild(document.createTextNode(text.slice(at, to) + (to < text.length ? " …" : "")));
  }

  function links() { return Array.prototype.slice.call(results.querySelectorAll("a")); }

  function focusResult(index) {
    var all = links();
    if (!all.length) return;
    all[Math.max(0, Math.min(index, all.length - 1))].focus();
  }

  var timer = null;
  input.addEventListener("input", function () {
    shown = PAGE;
    clearTimeout(timer);
    timer = setTimeout(function () { search(); }, 80);
  });
  input.addEventListener("focus", function () {
    load("search/index.js");
    if (results.hasChildNodes()) results.hidden = false;
  });

  // A click elsewhere folds the results away; focusing the box shows them.
  // Where the click was is read from the path it took, since its target may
  // be gone by now: "Show more" replaces the results, itself included, as
  // soon as its documents are loaded, which may be at once.
  document.addEventListener("click", function (event) {
    if (event.composedPath().indexOf(box) < 0) results.hidden = true;
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      focusResult(0);
    } else if (event.key === "Enter") {
      var first = links()[0];
      if (first) { event.preventDefault(); first.click(); }
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.value = "";
      clear();
    }
  });

  results.addEventListener("keydown", function (event) {
    var all = links();
    var index = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && index >= 0) {
      event.preventDefault();
      focusResult(index + 1);
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      if (index === 0) input.focus(); else focusResult(index - 1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.value = "";
      clear();
      input.focus();
    }
  });

  // "/" anywhere but in a text field goes to the search box.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    event.preventDefault();
    input.focus();
  });

  box.hidden = false;
})();
