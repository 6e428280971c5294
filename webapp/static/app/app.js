// Behaviour shared by every page. No inline scripts anywhere (CSP): pages declare what
// they need with data-* attributes, and this file wires it up.
//
// - progress bar and aria-busy while htmx requests run;
// - 4xx answers (400/403/404/409/429) are swapped into #flash by the htmx config in
//   base.html; here they get focus, and 5xx / network failures get a message there;
// - focus after swaps: [autofocus] or [data-focus] inside the new content, else the
//   swapped region itself when the focused element disappeared;
// - data-confirm="question" on a form, a submit button or an htmx element opens the
//   page's <dialog id="confirm-dialog"> first;
// - "poll-notices" fires every 60 s while the person is active, refreshing the unread
//   badge without keeping an idle session alive.
(function () {
  "use strict";

  var POLL_MS = 60 * 1000;
  var pending = 0;
  var lastActivity = Date.now();

  function flash() {
    return document.getElementById("flash");
  }

  function focusElement(element) {
    if (!element) return;
    if (!element.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(element.tagName)) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: false });
  }

  function showFlash(text) {
    var region = flash();
    if (!region) return;
    region.textContent = "";
    var alert = document.createElement("div");
    alert.className = "alert alert-error";
    alert.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = text;
    alert.appendChild(p);
    region.appendChild(alert);
    focusElement(alert);
  }

  // --- progress indicator -----------------------------------------------------------
  document.addEventListener("htmx:beforeRequest", function (event) {
    pending += 1;
    document.body.classList.add("is-loading");
    if (event.detail && event.detail.target) event.detail.target.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    pending = Math.max(0, pending - 1);
    if (pending === 0) document.body.classList.remove("is-loading");
    if (event.detail && event.detail.target) event.detail.target.removeAttribute("aria-busy");
  });

  // --- errors -----------------------------------------------------------------------
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status >= 500) showFlash(document.body.dataset.errorServer || "Error");
  });
  document.addEventListener("htmx:sendError", function () {
    showFlash(document.body.dataset.errorNetwork || "Network error");
  });

  // --- focus after swaps --------------------------------------------------------------
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) return;
    var region = flash();
    if (region && (target === region || region.contains(target))) {
      focusElement(region.querySelector("[role=alert]") || region.firstElementChild);
      return;
    }
    var wanted = target.querySelector("[autofocus], [data-focus]");
    if (wanted) {
      focusElement(wanted);
    } else if (!document.activeElement || document.activeElement === document.body) {
      if (target !== document.body && target.isConnected) focusElement(target);
    }
  });

  // --- confirm dialogs -----------------------------------------------------------------
  function ask(question, okLabel, proceed) {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      if (window.confirm(question)) proceed();
      return;
    }
    var opener = document.activeElement;
    var ok = dialog.querySelector(".dialog-ok");
    dialog.querySelector(".dialog-message").textContent = question;
    ok.textContent = okLabel || ok.dataset.defaultLabel;
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      function () {
        if (opener && opener.isConnected) opener.focus();
        if (dialog.returnValue === "ok") proceed();
      },
      { once: true }
    );
    dialog.showModal();
  }

  var confirmed = new WeakSet();

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var submitter = event.submitter;
      var source = submitter && submitter.dataset.confirm ? submitter : form;
      if (!source.dataset || !source.dataset.confirm) return;
      if (form.hasAttribute("hx-post") || form.hasAttribute("hx-put") || form.hasAttribute("hx-delete")) return;
      if (confirmed.has(form)) {
        confirmed.delete(form);
        return;
      }
      event.preventDefault();
      ask(source.dataset.confirm, source.dataset.confirmOk, function () {
        confirmed.add(form);
        if (typeof form.requestSubmit === "function") form.requestSubmit(submitter || undefined);
        else form.submit();
      });
    },
    true
  );

  // htmx elements: htmx fires htmx:confirm before every request; stop it and ask.
  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail && event.detail.elt;
    var source = element;
    var submitter = event.detail && event.detail.triggeringEvent && event.detail.triggeringEvent.submitter;
    if (submitter && submitter.dataset.confirm) source = submitter;
    if (!source || !source.dataset || !source.dataset.confirm) return;
    event.preventDefault();
    ask(source.dataset.confirm, source.dataset.confirmOk, function () {
      event.detail.issueRequest(true);
    });
  });

  // --- notification badge polling ---------------------------------------------------------
  ["keydown", "pointerdown", "scroll", "focusin"].forEach(function (name) {
    document.addEventListener(
      name,
      function () {
        lastActivity = Date.now();
      },
      { passive: true, capture: true }
    );
  });
  window.setInterval(function () {
    var active = Date.now() - lastActivity < POLL_MS;
    if (active && document.visibilityState === "visible" && window.htmx && document.getElementById("notice-badge")) {
      window.htmx.trigger(document.body, "poll-notices");
    }
  }, POLL_MS);
})();
