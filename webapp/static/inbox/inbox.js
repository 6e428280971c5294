// Inbox: select-all for the bulk claim, keep the filter form's tab in step with the
// results htmx swapped in, focus the error summary, and send a task form only once.
(function () {
  "use strict";

  function wireSelectAll(root) {
    var all = root.querySelector(".js-select-all");
    if (!all) return;
    all.hidden = false;
    all.addEventListener("change", function () {
      root.querySelectorAll(".js-pick").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }

  function syncTab(root) {
    var results = root.id === "inbox-results" ? root : root.querySelector("#inbox-results");
    var field = document.getElementById("inbox-tab");
    if (results && field && results.dataset.tab) field.value = results.dataset.tab;
  }

  function sendOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          b.setAttribute("aria-disabled", "true");
        });
      }, 0);
    });
  }

  function init(root) {
    wireSelectAll(root);
    syncTab(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    document.querySelectorAll("form[data-once]").forEach(sendOnce);
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "inbox-results") {
      var fresh = document.getElementById("inbox-results");
      if (fresh) init(fresh);
    }
  });
})();
