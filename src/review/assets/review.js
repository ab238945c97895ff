// selaras review workspace: loads the run from the server's JSON API, shows each article as a
// source | English grid, and saves edits back (PUT /api/segments/{id}). Every text is put into
// the page with textContent, never as HTML. Rows are built once; filtering only toggles
// `hidden`, and a save re-renders only the rows it changed, so thousands of segments stay fast.
"use strict";

(function () {
  const token = document.querySelector('meta[name="selaras-token"]').content;
  const grid = document.getElementById("grid");
  const nav = document.getElementById("articles");
  const message = document.getElementById("message");
  const shown = document.getElementById("shown");
  const problemsOnly = document.getElementById("problems-only");
  const articleFilter = document.getElementById("article-filter");
  const originFilter = document.getElementById("origin-filter");
  const checkFilter = document.getElementById("check-filter");
  const search = document.getElementById("search");
  const keys = document.getElementById("keys");

  /** Every segment in document order: { data, row, article, haystack } */
  let segments = [];
  const byId = new Map();
  const headings = new Map();
  const COLOURS = 8;
  let current = -1;
  let editing = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function say(text, kind) {
    message.hidden = !text;
    message.textContent = text || "";
    message.className = "message" + (kind ? " " + kind : "");
  }

  async function api(method, path, body) {
    const options = { method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-Selaras-Token"] = token;
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      answer = { error: response.statusText };
    }
    return { status: response.status, answer };
  }

  function isProblem(data) {
    return data.translatable && (data.target === null || data.violations.length > 0 ||
      data.warnings.length > 0 || findingsOf(data).length > 0 || data.origin === "fixed");
  }

  /** The QA findings of a record (the field is absent when there are none). */
  function findingsOf(data) {
    return data.qa || [];
  }

  // Spans in the records are UTF-8 byte offsets; JavaScript strings count UTF-16 units.
  function byteIndex(text) {
    const map = new Map();
    let bytes = 0;
    let units = 0;
    for (const character of text) {
      map.set(bytes, units);
      const code = character.codePointAt(0);
      bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      units += character.length;
    }
    map.set(bytes, units);
    return (offset) => (map.has(offset) ? map.get(offset) : null);
  }

  /** Each term of a segment gets its own colour (in order of appearance), the same on both
   *  sides, so neighbouring terms never share one. */
  function termColours(data) {
    const colours = new Map();
    for (const match of data.matches) {
      const key = match.expected.toLowerCase();
      if (!colours.has(key)) colours.set(key, colours.size % COLOURS);
    }
    return colours;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  /** Text with marked ranges: [{start, end, className, term, title}] in byte offsets. */
  function marked(text, ranges) {
    const container = el("div", "text");
    if (text === null || text === undefined) {
      container.classList.add("missing");
      container.textContent = "(untranslated)";
      return container;
    }
    const index = byteIndex(text);
    const usable = ranges
      .map((range) => Object.assign({}, range, { from: index(range.start), to: index(range.end) }))
      .filter((range) => range.from !== null && range.to !== null && range.to > range.from)
      .sort((a, b) => a.from - b.from || b.to - a.to);
    let at = 0;
    for (const range of usable) {
      if (range.from < at) continue; // overlapping: the first (longest) wins
      if (range.from > at) container.append(text.slice(at, range.from));
      const mark = el("mark", range.className, text.slice(range.from, range.to));
      if (range.term !== undefined) mark.dataset.term = range.term;
      if (range.title) mark.title = range.title;
      container.append(mark);
      at = range.to;
    }
    if (at < text.length) container.append(text.slice(at));
    return container;
  }

  function termRanges(data, side) {
    const ranges = [];
    const colours = termColours(data);
    for (const match of data.matches) {
      const span = side === "source" ? match.source_span : match.target_span;
      if (!span) continue;
      const colour = colours.get(match.expected.toLowerCase());
      ranges.push({
        start: span.start, end: span.end, className: "term t" + colour, term: String(colour),
        title: match.source_term + " → " + match.expected,
      });
    }
    for (const finding of findingsOf(data)) {
      const span = side === "source" ? finding.source_span : finding.target_span;
      if (!span) continue;
      ranges.push({
        start: span.start, end: span.end, className: "qa",
        title: "QA " + finding.check + " (" + finding.severity + "): " + finding.message,
      });
    }
    if (side === "target") {
      for (const finding of data.violations.concat(data.warnings)) {
        if (!finding.target_span) continue;
        ranges.push({
          start: finding.target_span.start, end: finding.target_span.end, className: "bad",
          title: finding.kind + ": approved “" + finding.expected + "”",
        });
      }
    }
    return ranges;
  }

  const KIND_TEXT = {
    missing: "missing",
    forbidden_variant: "forbidden rendering",
    count_mismatch: "fewer renderings than terms",
    forbidden_without_term: "forbidden rendering without its term",
    placeholder_lost: "placeholder lost",
  };

  function findingItem(finding, severity) {
    const item = el("li", severity);
    item.append(el("strong", null, severity === "violation" ? "violation: " : "warning: "));
    item.append(KIND_TEXT[finding.kind] || finding.kind);
    if (finding.source_term) item.append(" · " + finding.source_term);
    if (finding.found) {
      item.append(" · found ");
      item.append(el("q", "found", finding.found));
    }
    if (finding.expected) {
      item.append(" · approved ");
      item.append(el("q", "approved", finding.expected));
    }
    if (finding.note) item.append(el("span", "note", finding.note));
    return item;
  }

  function qaItem(finding) {
    const item = el("li", "qa qa-" + finding.severity);
    item.dataset.check = finding.check;
    item.append(el("strong", null, "QA " + finding.check + " (" + finding.severity + "): "));
    item.append(finding.message);
    return item;
  }

  function diffLine(ops) {
    const line = el("div", "diff");
    line.append(el("span", "label", "engine → final: "));
    for (const op of ops) {
      const tag = op.op === "insert" ? "ins" : op.op === "delete" ? "del" : "span";
      line.append(el(tag, null, op.text));
    }
    return line;
  }

  function badge(text, kind) {
    const node = el("span", "badge " + kind + "-" + text.replace(/[^a-z-]/g, ""), text);
    node.title = kind + ": " + text;
    return node;
  }

  function renderRow(segment) {
    const data = segment.data;
    const row = segment.row || el("article", "segment");
    row.replaceChildren();
    row.id = "s-" + data.id;
    row.tabIndex = -1;
    row.classList.toggle("problem", isProblem(data));
    row.classList.toggle("skip", !data.translatable);
    const head = el("div", "head");
    head.append(el("span", "id", data.id), badge(data.origin, "origin"), badge(data.status, "status"));
    if (data.identical > 0) head.append(el("span", "identical", data.identical + " identical elsewhere"));
    row.append(head);
    const source = marked(data.source, termRanges(data, "source"));
    source.classList.add("source");
    source.lang = "id";
    const target = marked(data.target, termRanges(data, "target"));
    target.classList.add("target");
    target.lang = "en";
    row.append(source, target);
    const findings = data.violations.map((v) => findingItem(v, "violation"))
      .concat(data.warnings.map((w) => findingItem(w, "warning")))
      .concat(findingsOf(data).map(qaItem));
    if (findings.length > 0 || data.suggestion) {
      const list = el("ul", "findings");
      list.append(...findings);
      if (data.suggestion) {
        const item = el("li", "suggestion");
        item.append(el("strong", null, "suggested: "), el("span", null, data.suggestion));
        const accept = el("button", "accept", "accept fix (a)");
        accept.type = "button";
        accept.dataset.action = "accept";
        item.append(" ", accept);
        list.append(item);
      }
      row.append(list);
    }
    if (data.diff && data.diff.length > 0) row.append(diffLine(data.diff));
    if (data.translatable) {
      const edit = el("button", "edit", "edit (e)");
      edit.type = "button";
      edit.dataset.action = "edit";
      row.append(edit);
    }
    segment.haystack = (data.source + "\n" + (data.target || "")).toLowerCase();
    segment.row = row;
    return row;
  }

  function renderArticles(articles, withOptions) {
    nav.replaceChildren();
    const list = el("ul");
    const all = el("li");
    const allButton = el("button", "article-link", "all articles");
    allButton.type = "button";
    allButton.dataset.article = "";
    all.append(allButton);
    list.append(all);
    for (const article of articles) {
      const item = el("li");
      const button = el("button", "article-link");
      button.type = "button";
      button.dataset.article = article.stem;
      button.append(el("span", "stem", article.stem));
      const counts = el("span", "counts");
      counts.append(el("span", null, plural(article.translatable, "segment")));
      if (article.problems > 0) counts.append(el("span", "count-problems", plural(article.problems, "problem")));
      if (article.violations > 0) counts.append(el("span", "count-violations", plural(article.violations, "violation")));
      if (article.untranslated > 0) counts.append(el("span", "count-untranslated", article.untranslated + " untranslated"));
      if (article.reviewed > 0) counts.append(el("span", "count-reviewed", article.reviewed + " reviewed"));
      for (const [check, count] of Object.entries(article.qa || {})) {
        const countNode = el("span", "count-qa", count + " " + check);
        countNode.title = plural(count, "QA finding") + " of the " + check + " check";
        counts.append(countNode);
      }
      button.append(counts);
      item.append(button);
      list.append(item);
      if (withOptions) {
        const option = el("option", null, article.stem);
        option.value = article.stem;
        articleFilter.append(option);
      }
    }
    checkOptions(articles);
    nav.append(list);
    if (articles.length === 0) {
      nav.append(el("p", "muted", "No records in the output folder: run `selaras translate` first."));
    }
  }

  /** One option per QA check with findings in the run, with its count; the choice is kept. */
  function checkOptions(articles) {
    const totals = new Map();
    for (const article of articles) {
      for (const [check, count] of Object.entries(article.qa || {})) {
        totals.set(check, (totals.get(check) || 0) + count);
      }
    }
    const chosen = checkFilter.value;
    checkFilter.replaceChildren(new Option("any", ""));
    for (const [check, count] of [...totals].sort((a, b) => a[0].localeCompare(b[0]))) checkFilter.append(new Option(check + " (" + count + ")", check));
    if (chosen && !totals.has(chosen)) checkFilter.append(new Option(chosen + " (0)", chosen));
    checkFilter.value = chosen;
    checkFilter.disabled = totals.size === 0 && !chosen;
  }

  /** Rows are built in slices, yielding to the browser between them, so a run of thousands
   *  of segments never freezes the page while it loads. */
  async function build(records) {
    const SLICE = 400;
    let lastArticle = null;
    segments = [];
    byId.clear();
    grid.replaceChildren();
    for (let start = 0; start < records.length; start += SLICE) {
      const fragment = document.createDocumentFragment();
      const query = search.value.trim().toLowerCase();
      for (const data of records.slice(start, start + SLICE)) {
        const article = data.id.slice(0, data.id.lastIndexOf(":"));
        if (article !== lastArticle) {
          const heading = el("h2", "article-heading", article);
          heading.id = "a-" + article;
          headings.set(article, heading);
          fragment.append(heading);
          lastArticle = article;
        }
        const segment = { data, row: null, article, haystack: "" };
        renderRow(segment);
        segment.row.hidden = !matches(segment, query);
        segments.push(segment);
        byId.set(data.id, segment);
        fragment.append(segment.row);
      }
      grid.append(fragment);
      if (start + SLICE < records.length) {
        shown.textContent = "loading… " + segments.length + " of " + records.length;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
    applyFilters();
  }

  let filterTimer = null;
  function scheduleFilters() {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(applyFilters, 120);
  }

  function matches(segment, query) {
    if (problemsOnly.checked && !isProblem(segment.data)) return false;
    if (articleFilter.value && segment.article !== articleFilter.value) return false;
    if (originFilter.value && segment.data.origin !== originFilter.value) return false;
    if (checkFilter.value && !findingsOf(segment.data).some((f) => f.check === checkFilter.value)) return false;
    if (query && !segment.haystack.includes(query)) return false;
    return true;
  }

  function applyFilters() {
    const query = search.value.trim().toLowerCase();
    const visibleArticles = new Set();
    let count = 0;
    for (const segment of segments) {
      const visible = matches(segment, query);
      if (segment.row.hidden === visible) segment.row.hidden = !visible;
      if (visible) {
        count += 1;
        visibleArticles.add(segment.article);
      }
    }
    for (const [article, heading] of headings) {
      const hide = !visibleArticles.has(article);
      if (heading.hidden !== hide) heading.hidden = hide;
    }
    for (const button of nav.querySelectorAll(".article-link")) {
      button.classList.toggle("chosen", button.dataset.article === articleFilter.value);
    }
    shown.textContent = count + " of " + segments.length + " segments shown";
    if (current >= 0 && segments[current] && segments[current].row.hidden) setCurrent(-1);
  }

  function setCurrent(index, scroll) {
    if (current >= 0 && segments[current]) segments[current].row.classList.remove("current");
    current = index;
    if (index < 0) return;
    const row = segments[index].row;
    row.classList.add("current");
    if (scroll !== false) {
      row.scrollIntoView({ block: "nearest" });
      row.focus({ preventScroll: true });
    }
  }

  function step(direction, wanted) {
    let index = current;
    for (let tries = 0; tries < segments.length; tries++) {
      index += direction;
      if (index < 0 || index >= segments.length) return;
      const segment = segments[index];
      if (!segment.row.hidden && (!wanted || wanted(segment.data))) {
        setCurrent(index);
        return;
      }
    }
  }

  function openEditor(segment, text) {
    if (!segment.data.translatable) return;
    if (editing && editing.segment !== segment) closeEditor();
    if (editing) {
      if (text !== undefined) editing.textarea.value = text;
      editing.textarea.focus();
      return;
    }
    const box = el("form", "editor");
    const textarea = el("textarea");
    textarea.value = text !== undefined ? text : segment.data.target || "";
    textarea.rows = 3;
    textarea.lang = "en";
    textarea.setAttribute("aria-label", "English for " + segment.data.id);
    const controls = el("div", "controls");
    const status = el("select");
    for (const value of ["reviewed", "final"]) {
      const option = el("option", null, value);
      option.value = value;
      status.append(option);
    }
    status.setAttribute("aria-label", "status");
    const save = el("button", "save", "save (Ctrl+Enter)");
    save.type = "submit";
    const cancel = el("button", "cancel", "cancel (Esc)");
    cancel.type = "button";
    cancel.dataset.action = "cancel";
    controls.append(status, save, cancel);
    let propagate = null;
    if (segment.data.identical > 0) {
      const label = el("label", "propagate");
      propagate = el("input");
      propagate.type = "checkbox";
      label.append(propagate, " also apply to the " + segment.data.identical + " identical segment(s)");
      controls.append(label);
    }
    box.append(textarea, controls);
    box.addEventListener("submit", (event) => {
      event.preventDefault();
      saveEdit(status.value);
    });
    const target = segment.row.querySelector(".target");
    target.after(box);
    target.hidden = true;
    const editButton = segment.row.querySelector("button.edit");
    if (editButton) editButton.hidden = true;
    editing = { segment, textarea, status, propagate, box, base: segment.data.target || "" };
    textarea.focus();
  }

  function closeEditor() {
    if (!editing) return;
    const { segment, box } = editing;
    box.remove();
    const target = segment.row.querySelector(".target");
    if (target) target.hidden = false;
    const editButton = segment.row.querySelector("button.edit");
    if (editButton) editButton.hidden = false;
    editing = null;
    segment.row.focus({ preventScroll: true });
  }

  async function saveEdit(statusValue) {
    if (!editing) return;
    const edit = editing;
    const body = {
      target: edit.textarea.value,
      status: statusValue || edit.status.value,
      base: edit.base,
      propagate: Boolean(edit.propagate && edit.propagate.checked),
    };
    say("saving " + edit.segment.data.id + "…");
    let result;
    try {
      result = await api("PUT", "/api/segments/" + encodeURIComponent(edit.segment.data.id), body);
    } catch (error) {
      say("not saved: the server cannot be reached (" + error.message + ")", "error");
      return;
    }
    if (result.status === 200) {
      const saved = result.answer;
      const propagated = saved.propagated || [];
      delete saved.propagated;
      editing = null;
      edit.segment.data = saved;
      renderRow(edit.segment);
      for (const id of propagated) {
        const other = byId.get(id);
        if (other) await refreshArticle(other.article);
      }
      const counts = await api("GET", "/api/articles");
      if (counts.status === 200) renderArticles(counts.answer.articles, false);
      applyFilters();
      edit.segment.row.focus({ preventScroll: true });
      const verdict = saved.violations.length > 0
        ? "; " + saved.violations.length + " glossary violation(s) remain"
        : "; glossary check passed";
      say("saved " + saved.id + " as " + body.status + verdict +
        (propagated.length ? "; also applied to " + propagated.length + " identical segment(s)" : ""),
        saved.violations.length > 0 ? "warn" : "ok");
    } else if (result.status === 409) {
      const current = result.answer.current;
      edit.segment.data = current;
      edit.base = current.target || "";
      const target = edit.segment.row.querySelector(".target");
      const fresh = marked(current.target, termRanges(current, "target"));
      fresh.classList.add("target");
      fresh.hidden = true;
      target.replaceWith(fresh);
      say("not saved: someone saved " + current.id + " first. Their English: “" +
        (current.target || "") + "”. Your text is still in the editor; save again to replace theirs.",
        "error");
    } else {
      say("not saved (" + result.status + "): " + (result.answer && result.answer.error), "error");
    }
  }

  async function refreshArticle(article) {
    const result = await api("GET", "/api/segments?article=" + encodeURIComponent(article));
    if (result.status !== 200) return;
    for (const data of result.answer.segments) {
      const segment = byId.get(data.id);
      if (segment && !(editing && editing.segment === segment)) {
        segment.data = data;
        renderRow(segment);
      }
    }
  }

  function currentSegment() {
    return current >= 0 ? segments[current] : null;
  }

  grid.addEventListener("click", (event) => {
    const row = event.target.closest(".segment");
    if (!row) return;
    const segment = byId.get(row.id.slice(2));
    if (!segment) return;
    const index = segments.indexOf(segment);
    if (index !== current) setCurrent(index, false);
    const action = event.target.dataset && event.target.dataset.action;
    if (action === "edit") openEditor(segment);
    if (action === "accept" && segment.data.suggestion) openEditor(segment, segment.data.suggestion);
    if (action === "cancel") closeEditor();
  });

  // hovering a term lights up its pair in the same segment
  grid.addEventListener("mouseover", (event) => {
    const mark = event.target.closest("mark.term");
    if (!mark) return;
    const row = mark.closest(".segment");
    for (const other of row.querySelectorAll('mark.term[data-term="' + mark.dataset.term + '"]')) {
      other.classList.add("lit");
    }
  });
  grid.addEventListener("mouseout", (event) => {
    const mark = event.target.closest("mark.term");
    if (!mark) return;
    for (const other of mark.closest(".segment").querySelectorAll("mark.lit")) {
      other.classList.remove("lit");
    }
  });

  nav.addEventListener("click", (event) => {
    const button = event.target.closest(".article-link");
    if (!button) return;
    articleFilter.value = button.dataset.article;
    applyFilters();
    const heading = headings.get(button.dataset.article);
    if (heading) heading.scrollIntoView({ block: "start" });
  });

  problemsOnly.addEventListener("change", applyFilters);
  articleFilter.addEventListener("change", applyFilters);
  originFilter.addEventListener("change", applyFilters);
  checkFilter.addEventListener("change", applyFilters);
  search.addEventListener("input", scheduleFilters);

  document.addEventListener("keydown", (event) => {
    const inEditor = editing && event.target === editing.textarea;
    if (inEditor) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        saveEdit(event.shiftKey ? "final" : editing.status.value);
      } else if (event.key === "Escape") {
        event.preventDefault();
        closeEditor();
      }
      return;
    }
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (typing) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const segment = currentSegment();
    switch (event.key) {
      case "j": case "ArrowDown": step(1); break;
      case "k": case "ArrowUp": step(-1); break;
      case "n": step(1, isProblem); break;
      case "p": step(-1, isProblem); break;
      case "e": case "Enter":
        if (!segment) return;
        openEditor(segment);
        break;
      case "a":
        if (!segment || !segment.data.suggestion) return;
        openEditor(segment, segment.data.suggestion);
        break;
      case "/": search.focus(); break;
      case "f": problemsOnly.checked = !problemsOnly.checked; applyFilters(); break;
      case "?": keys.open = !keys.open; break;
      case "Escape": closeEditor(); break;
      default: return;
    }
    event.preventDefault();
  });

  /** Filters can be given in the address: ?problems=1&article=STEM&origin=engine&check=number&q=text */
  function filtersFromAddress() {
    const parameters = new URLSearchParams(window.location.search);
    problemsOnly.checked = parameters.get("problems") === "1";
    const article = parameters.get("article");
    if (article && [...articleFilter.options].some((option) => option.value === article)) {
      articleFilter.value = article;
    }
    const origin = parameters.get("origin");
    if (origin && [...originFilter.options].some((option) => option.value === origin)) {
      originFilter.value = origin;
    }
    const check = parameters.get("check");
    if (check && [...checkFilter.options].some((option) => option.value === check)) {
      checkFilter.value = check;
    }
    search.value = parameters.get("q") || "";
  }

  async function load() {
    try {
      const [articles, records] = await Promise.all([
        api("GET", "/api/articles"), api("GET", "/api/segments"),
      ]);
      if (articles.status !== 200 || records.status !== 200) {
        say("cannot load the run: " + ((articles.answer || {}).error || (records.answer || {}).error), "error");
        return;
      }
      renderArticles(articles.answer.articles, true);
      filtersFromAddress();
      await build(records.answer.segments);
      document.body.dataset.ready = "true";
      performance.mark("selaras-ready");
    } catch (error) {
      say("cannot load the run: " + error.message, "error");
    }
  }

  load();
})();
