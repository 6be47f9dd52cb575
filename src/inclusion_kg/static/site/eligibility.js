// The eligibility form: asks /eligibility (JSON) and shows each measure's status with its reasons and
// sources. Without JavaScript the form still submits to /eligibility.
(function () {
  "use strict";
  var form = document.getElementById("eligibility-form");
  var out = document.getElementById("eligibility-results");
  if (!form || !out || !window.fetch) return;
  var words = JSON.parse(out.getAttribute("data-i18n") || "{}");
  var lang = form.getAttribute("data-lang") || "en";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function text(value) {
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.map(text).filter(Boolean).join(", ");
    if (typeof value === "object") return text(value.label || value.title || value.name || value.value || value.iri || value.id || "");
    return String(value);
  }
  function iriOf(value) {
    if (!value) return null;
    if (typeof value === "string") return /^https?:/.test(value) ? value : null;
    return value.iri || value.id || value.url || value.href || null;
  }
  function localHref(iri) {
    var base = "https://w3id.org/inclusion-kg/";
    if (iri && iri.indexOf(base) === 0) return form.getAttribute("data-endpoint").replace(/eligibility$/, "") + iri.slice(base.length) + "?lang=" + lang;
    return iri;
  }
  function linkTo(value, fallback) {
    var iri = iriOf(value);
    var label = text(value) || fallback || iri || "";
    return iri ? el("a", {href: localHref(iri)}, [label]) : document.createTextNode(label);
  }
  function asList(value) { return value === null || value === undefined ? [] : (Array.isArray(value) ? value : [value]); }

  function renderMeasure(m) {
    var status = m.status || m.measureStatus || "";
    var conditions = asList(m.conditions);
    var items = conditions.map(function (c) {
      var parts = [el("strong", {}, [linkTo(c.condition || c.iri ? {iri: iriOf(c.condition) || c.iri, label: c.label} : c.label, text(c.label))]),
                   " — ", el("span", {"class": "status status-" + (c.status || "")}, [words[c.status] || c.status || ""])];
      var exp = text(c.expected), giv = text(c.given);
      if (exp || giv) parts.push(" (" + [exp ? words.expected + ": " + exp : "", giv ? words.given + ": " + giv : ""].filter(Boolean).join("; ") + ")");
      var src = asList(c.sources || c.source);
      if (src.length) {
        parts.push(" · " + words.sources + ": ");
        src.forEach(function (s, i) { if (i) parts.push(", "); parts.push(linkTo(s)); });
      }
      return el("li", {}, parts);
    });
    var missing = asList(m.missing);
    var sources = asList(m.sources || m.source);
    var measureRef = {iri: iriOf(m.measure) || m.iri || m.id, label: m.label || m.measureLabel || m.title || text(m.measure)};
    return el("li", {"class": "measure-result", "data-status": status}, [
      el("h4", {}, [linkTo(measureRef), " ", el("span", {"class": "status status-" + status}, [words[status] || status])]),
      m.agency ? el("p", {}, [words.agency + ": ", linkTo(m.agency)]) : null,
      items.length ? el("ul", {"class": "condition-results"}, items) : null,
      missing.length ? el("p", {}, [words.missing + ": " + missing.map(text).join(", ")]) : null,
      sources.length ? el("p", {}, [words.sources + ": "].concat(sources.map(function (s) { return linkTo(s); }))) : null
    ]);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== "") params.append(key, value); });
    out.textContent = "…";
    fetch(form.getAttribute("data-endpoint") + "?" + params.toString(), {headers: {Accept: "application/json"}})
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (answer) {
        out.textContent = "";
        if (!answer.ok) {
          var detail = answer.body && (answer.body.detail || answer.body.message || answer.body.error);
          out.appendChild(el("p", {"class": "error", role: "alert"}, [words.error + ": " + text(detail || answer.body)]));
          return;
        }
        var measures = asList(answer.body.measures || answer.body.results || answer.body);
        out.appendChild(el("h3", {}, [words.results + " (" + measures.length + ")"]));
        out.appendChild(el("ul", {"class": "results"}, measures.map(renderMeasure)));
        out.focus();
      })
      .catch(function (error) {
        out.textContent = "";
        out.appendChild(el("p", {"class": "error", role: "alert"}, [words.error + ": " + error]));
      });
  });
})();
