// The eligibility form: asks /eligibility (JSON) and shows each measure's status with its reasons and
// sources. Without JavaScript the form still submits to /eligibility and the JSON answer is shown.
(function () {
  "use strict";
  var form = document.getElementById("eligibility-form");
  var out = document.getElementById("eligibility-results");
  if (!form || !out || !window.fetch) return;
  var words = JSON.parse(out.getAttribute("data-i18n") || "{}");
  var labels = JSON.parse(out.getAttribute("data-labels") || "{}");  // IRI -> label in the page's language
  var lang = form.getAttribute("data-lang") || "en";
  var endpoint = form.getAttribute("data-endpoint");
  var BASE = "https://w3id.org/inclusion-kg/";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === "") return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function nameOf(value) {
    if (value === null || value === undefined) return "";
    var text = String(value);
    if (labels[text]) return labels[text];
    if (text.indexOf(BASE) === 0) return text.slice(text.lastIndexOf("/") + 1);
    // a boolean: given as JSON true/false, expected as the text of its literal ("true")
    if (value === true || text === "true") return words.yes;
    if (value === false || text === "false") return words.no;
    return text;
  }
  function href(iri) {  // our IRIs are served here: a link relative to this page, in its language
    return iri.indexOf(BASE) === 0 ? endpoint.replace(/eligibility$/, "") + iri.slice(BASE.length) + "?lang=" + lang : iri;
  }
  function link(iri, text) {
    if (!iri) return text || "";
    return el("a", {href: href(iri)}, [text || nameOf(iri)]);
  }
  function expected(value) {
    return value ? String(value).split(" | ").map(nameOf).join(" | ") : "";
  }
  function status(value) {
    return el("span", {"class": "status status-" + value}, [words[value] || value || ""]);
  }

  function renderCondition(c) {
    var parts = [link(c.condition, c.label), " — ", status(c.status)];
    var details = [];
    if (c.expected) details.push(words.expected + ": " + expected(c.expected));
    if (c.given !== null && c.given !== undefined) details.push(words.given + ": " + nameOf(c.given));
    if (details.length) parts.push(" (" + details.join("; ") + ")");
    if (c.applies_only_if && c.applies_only_if.condition) {
      parts.push(" — " + words.only_if + ": ", link(c.applies_only_if.condition, c.applies_only_if.label), " ",
                 status(c.applies_only_if.status));
    }
    if (c.source) parts.push(" · " + words.sources + ": ", link(c.source));
    return el("li", {}, parts);
  }

  function renderMeasure(m) {
    var sources = (m.sources || []).map(function (s, i) {
      return el("span", {}, [i ? ", " : "", link(s)]);
    });
    return el("li", {"class": "measure-result", "data-status": m.status, "data-measure": m.measure}, [
      el("h4", {}, [link(m.measure, m.label), " ", status(m.status)]),
      m.agency ? el("p", {}, [words.agency + ": ", link(m.agency, m.agency_label)]) : null,
      m.reason ? el("p", {}, [(m.reason.label || "") + (m.reason.explanation ? ": " + m.reason.explanation : "")]) : null,
      (m.conditions || []).length ? el("ul", {"class": "condition-results"}, m.conditions.map(renderCondition)) : null,
      (m.missing || []).length ? el("p", {}, [words.missing + ": " + m.missing.map(function (n) {
        var field = form.querySelector("label[for='f-" + n + "']");
        return field ? field.textContent : n;
      }).join(", ")]) : null,
      sources.length ? el("p", {}, [words.sources + ": "].concat(sources)) : null
    ]);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== "") params.append(key, value); });
    out.setAttribute("aria-busy", "true");
    fetch(endpoint + "?" + params.toString(), {headers: {Accept: "application/json"}})
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (answer) {
        out.textContent = "";
        if (!answer.ok) {
          var b = answer.body || {};
          out.appendChild(el("p", {"class": "error", role: "alert"}, [words.error + ": " + (b.message || b.detail || b.error || "")]));
          return;
        }
        var measures = answer.body.measures || [];
        out.appendChild(el("h3", {}, [words.results + " (" + measures.length + ")"]));
        out.appendChild(el("ul", {"class": "results"}, measures.map(renderMeasure)));
      })
      .catch(function (error) {
        out.textContent = "";
        out.appendChild(el("p", {"class": "error", role: "alert"}, [words.error + ": " + error]));
      })
      .then(function () { out.removeAttribute("aria-busy"); out.focus(); });
  });
})();
