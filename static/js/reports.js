// Reports: generate in the background and follow its progress without reloading the page.
// Words come from the page (data-text-* attributes), already translated; no inline script (CSP).
(function () {
  "use strict";
  var POLL_MS = 1000;

  function $(id) { return document.getElementById(id); }

  function show(box, status) {
    box.hidden = false;
    var bar = $("report-progress-bar");
    var percent = $("report-progress-percent");
    var text = $("report-progress-text");
    var progress = Math.max(0, Math.min(100, status.progress || 0));
    bar.value = progress;
    bar.textContent = progress + "%";
    percent.textContent = String(progress);
    if (status.done) {
      text.textContent = box.getAttribute("data-text-done");
      var links = $("report-progress-links");
      $("report-progress-open").href = status.detail_url;
      $("report-progress-xlsx").href = status.xlsx_url;
      links.hidden = false;
    } else if (status.failed) {
      text.textContent = box.getAttribute("data-text-failed");
    } else if (status.status === "queued") {
      text.textContent = box.getAttribute("data-text-waiting");
    } else {
      text.textContent = status.step ? status.status_label + ": " + status.step : status.status_label;
    }
  }

  function poll(box, url) {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        show(box, status);
        if (!status.done && !status.failed) { window.setTimeout(function () { poll(box, url); }, POLL_MS); }
      })
      .catch(function () {
        $("report-progress-text").textContent = box.getAttribute("data-text-error");
        window.setTimeout(function () { poll(box, url); }, POLL_MS * 3);
      });
  }

  var box = $("report-progress");
  if (box && box.getAttribute("data-status-url")) {
    poll(box, box.getAttribute("data-status-url"));
  }

  var form = $("generate-form");
  if (form && box) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value }
      })
        .then(function (response) {
          if (response.status === 400) { form.submit(); return null; } // the server shows the errors
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (status) {
          if (!status) { return; }
          if (button) { button.disabled = false; }
          show(box, status);
          box.scrollIntoView({ behavior: "smooth", block: "nearest" });
          if (!status.done && !status.failed) { poll(box, status.status_url); }
        })
        .catch(function () { form.submit(); });
    });
  }

  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
