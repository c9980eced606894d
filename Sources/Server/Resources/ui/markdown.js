// A small Markdown renderer for what MedLocal writes: headings, paragraphs (single line breaks kept), lists,
// pipe tables, the HTML tables it writes for merged cells (only table tags and colspan/rowspan survive), images
// (left as data-src for the page to fetch with the API key), bold, italic, code, rules. Everything else is text:
// the input is escaped first, so nothing in a document can inject markup.
// Highlight markers (U+E000 index U+E001 … U+E002) pass through untouched; the caller turns them into <mark>s.
"use strict";
window.MedLocalMarkdown = (function () {
  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function inline(text) {
    let html = escape(text);
    // A finding inside an image's alt text or address is listed, not marked: markup cannot go inside an attribute.
    const unmarked = (text) => text.replace(/\uE000\d+\uE001|\uE002/g, "");
    html = html.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (_, alt, src) => `<img alt="${unmarked(alt)}" data-src="${unmarked(src)}">`);
    html = html.replace(/`([^`]+)`/g, "<code>$1</code>");
    html = html.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
    html = html.replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>");
    return html;
  }

  // Our own HTML tables: escape all, then let the table tags (and colspan/rowspan numbers) back in.
  function htmlTable(block) {
    let html = escape(block);
    html = html.replace(/&lt;(\/?)(table|thead|tbody|tr|td|th)((?:\s+(?:colspan|rowspan)=&quot;\d+&quot;)*)\s*&gt;/g,
      (_, slash, tag, attributes) => `<${slash}${tag}${attributes.replace(/&quot;/g, '"')}>`);
    return html.replace(/&lt;br\s*\/?&gt;/g, "<br>");
  }

  function cells(line) {
    let body = line.trim();
    if (body.startsWith("|")) body = body.slice(1);
    if (body.endsWith("|") && !body.endsWith("\\|")) body = body.slice(0, -1);
    return body.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
  }

  function render(markdown) {
    const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
    const out = [];
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      if (!line.trim()) { i++; continue; }
      let match;
      if ((match = /^(#{1,6})\s+(.*)$/.exec(line))) {
        const level = match[1].length;
        out.push(`<h${level}>${inline(match[2])}</h${level}>`);
        i++;
      } else if (/^```/.test(line)) {
        const code = [];
        i++;
        while (i < lines.length && !/^```/.test(lines[i])) code.push(lines[i++]);
        i++;
        out.push(`<pre><code>${escape(code.join("\n"))}</code></pre>`);
      } else if (/^(-{3,}|\*{3,})\s*$/.test(line)) {
        out.push("<hr>");
        i++;
      } else if (/^\s*<table/i.test(line)) {
        const block = [];
        while (i < lines.length && lines[i].trim()) { block.push(lines[i]); if (/<\/table>/i.test(lines[i++])) break; }
        out.push(htmlTable(block.join("\n")));
      } else if (/^\s*\|/.test(line) && i + 1 < lines.length && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1])) {
        const head = cells(line);
        i += 2;
        const rows = [];
        while (i < lines.length && /^\s*\|/.test(lines[i])) rows.push(cells(lines[i++]));
        out.push("<table><thead><tr>" + head.map((c) => `<th>${inline(c)}</th>`).join("") + "</tr></thead><tbody>" +
          rows.map((r) => "<tr>" + r.map((c) => `<td>${inline(c)}</td>`).join("") + "</tr>").join("") + "</tbody></table>");
      } else if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
        const ordered = /^\s*\d/.test(line);
        const items = [];
        while (i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i])) items.push(lines[i++].replace(/^\s*([-*+]|\d+[.)])\s+/, ""));
        const tag = ordered ? "ol" : "ul";
        out.push(`<${tag}>` + items.map((item) => `<li>${inline(item)}</li>`).join("") + `</${tag}>`);
      } else {
        const paragraph = [];
        while (i < lines.length && lines[i].trim() && !/^(#{1,6}\s|```|\s*\|.*\|\s*$|\s*<table)/.test(lines[i])) paragraph.push(lines[i++]);
        if (!paragraph.length) paragraph.push(lines[i++]);
        out.push(`<p>${paragraph.map(inline).join("<br>")}</p>`);
      }
    }
    return out.join("\n");
  }

  // Wraps each finding's code-point range in markers, renders, then turns markers into <mark> elements. A finding
  // that would cross a table cell or a line is shown only in the findings list (its markers are dropped).
  function renderWithFindings(markdown, findings) {
    const points = Array.from(markdown);
    const starts = new Map(), ends = new Map();
    for (const f of findings) {
      if (f.start < 0 || f.end > points.length || f.end <= f.start) continue;
      const text = points.slice(f.start, f.end).join("");
      if (/[|\n]/.test(text)) continue;
      if (!starts.has(f.start)) starts.set(f.start, []);
      starts.get(f.start).push(f.index);
      ends.set(f.end, (ends.get(f.end) || 0) + 1);
    }
    let marked = "";
    for (let p = 0; p <= points.length; p++) {
      for (let n = ends.get(p) || 0; n > 0; n--) marked += "\uE002";
      for (const index of starts.get(p) || []) marked += "\uE000" + index + "\uE001";
      if (p < points.length) marked += points[p];
    }
    const byIndex = new Map(findings.map((f) => [f.index, f]));
    let html = render(marked);
    html = html.replace(/\uE000(\d+)\uE001/g, (_, index) => {
      const f = byIndex.get(Number(index));
      const tip = `${f.type} · score ${f.score} · ${f.recognizer} · ${f.action}`;
      return `<mark class="phi t-${escape(f.type)}" data-finding="${index}" title="${escape(tip)}">`;
    });
    return html.replace(/\uE002/g, "</mark>");
  }

  return { render, renderWithFindings, escape };
})();
