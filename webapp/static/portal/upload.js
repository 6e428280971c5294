/*
 * Portal forms: upload files ahead of the filing, with a progress bar each, and
 * keep a form from being sent twice.
 *
 * Markup (webapp/templates/portal/_upload.html):
 *   <div data-upload data-url=".../files/upload/" data-kind="evidence" data-field="attachments">
 *     <input type="file" data-upload-input multiple>
 *     <ul data-upload-list></ul>
 *   </div>
 * Each file is POSTed alone (XMLHttpRequest, so upload progress events fire) to
 * files:upload, which stages it and answers JSON with the attachment id. The id
 * goes into the form as a hidden input; the filing attaches staged files to the
 * case. Buttons marked data-once are disabled once their form is sent.
 */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) {
      return input.value;
    }
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  function idOf(body) {
    if (!body) {
      return null;
    }
    var id = body.id || body.attachment_id || (body.attachment && body.attachment.id);
    return id ? String(id) : null;
  }

  // Domain messages come as "中文 / English": keep the page's language.
  function inPageLanguage(text) {
    var parts = text.split(" / ");
    if (parts.length < 2) {
      return text;
    }
    var chinese = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0;
    return chinese ? parts[0] : parts.slice(1).join(" / ");
  }

  function problemOf(body, fallback) {
    if (body && typeof body.error === "string") {
      return inPageLanguage(body.error);
    }
    if (body && typeof body.message === "string") {
      return body.message;
    }
    if (body && body.errors && body.errors.length) {
      return String(body.errors[0]);
    }
    return fallback;
  }

  // Forget a staged upload: take it off the form and ask the server to discard it.
  function discard(box, item) {
    var hidden = item.querySelector("input[type=hidden]");
    var template = box.dataset.discardUrl;
    if (hidden && template) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", template.replace("/0/", "/" + encodeURIComponent(hidden.value) + "/"));
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.send();
    }
    item.remove();
    var input = box.querySelector("[data-upload-input]");
    if (input) {
      input.focus();
    }
  }

  function removeButton(box, item) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.setAttribute("data-upload-remove", "");
    button.textContent = box.dataset.msgRemove || "Remove";
    button.addEventListener("click", function () {
      discard(box, item);
    });
    return button;
  }

  function pendingUploads(form) {
    return form ? form.querySelectorAll("[data-upload-pending]").length : 0;
  }

  function uploadOne(box, file) {
    var list = box.querySelector("[data-upload-list]");
    var item = document.createElement("li");
    item.setAttribute("data-upload-item", "");
    item.setAttribute("data-upload-pending", "");
    var name = document.createElement("span");
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    var status = document.createElement("span");
    status.className = "portal-upload-status";
    item.append(name, " ", bar, " ", status);
    list.append(item);

    var data = new FormData();
    data.append("file", file);
    data.append("kind", box.dataset.kind || "other");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", box.dataset.url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        bar.value = Math.round((event.loaded * 100) / event.total);
      }
    });
    function fail(message) {
      item.removeAttribute("data-upload-pending");
      item.classList.add("portal-upload-failed");
      bar.remove();
      status.textContent = message;
      status.setAttribute("role", "alert");
      item.append(" ", removeButton(box, item));
    }
    xhr.addEventListener("load", function () {
      var body = parse(xhr.responseText);
      var id = idOf(body);
      if (xhr.status < 200 || xhr.status >= 300 || !id) {
        fail(problemOf(body, box.dataset.msgFailed || "Upload failed"));
        return;
      }
      item.removeAttribute("data-upload-pending");
      bar.value = 100;
      bar.remove();
      status.textContent = box.dataset.msgDone || "";
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = box.dataset.field || "attachments";
      hidden.value = id;
      item.append(hidden, " ", removeButton(box, item));
    });
    xhr.addEventListener("error", function () {
      fail(box.dataset.msgFailed || "Upload failed");
    });
    xhr.send(data);
  }

  function setUpBox(box) {
    var input = box.querySelector("[data-upload-input]");
    if (!input) {
      return;
    }
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (file) {
        uploadOne(box, file);
      });
      input.value = "";
    });
    box.querySelectorAll("[data-upload-remove]").forEach(function (button) {
      button.addEventListener("click", function () {
        discard(box, button.closest("[data-upload-item]"));
      });
    });
  }

  function guardForm(form) {
    form.addEventListener("submit", function (event) {
      if (pendingUploads(form) > 0) {
        event.preventDefault();
        var box = form.querySelector("[data-upload]");
        if (box) {
          var wait = box.querySelector("[data-upload-wait]");
          if (wait) {
            wait.textContent = box.dataset.msgWait || "";
          }
          box.querySelector("[data-upload-input]").focus();
        }
        return;
      }
      form.querySelectorAll("button[data-once]").forEach(function (button) {
        // After the submit event, so the button's own value is still sent.
        window.setTimeout(function () {
          button.disabled = true;
        }, 0);
      });
    });
  }

  function start() {
    document.querySelectorAll("[data-upload]").forEach(setUpBox);
    document.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector("button[data-once]")) {
        guardForm(form);
      }
    });
  }

  // A page restored from the back-forward cache must not keep its buttons disabled.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("button[data-once]").forEach(function (button) {
        button.disabled = false;
      });
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
