// Small progressive enhancements. Everything works without this file.
(function () {
  "use strict";

  // Logging out removes unsaved drafts kept in this browser (a shared library computer).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]")) { return; }
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf("portal-draft:") === 0) { window.localStorage.removeItem(key); }
      }
    } catch (e) { /* storage disabled */ }
  });

  // Ask before destructive form posts: <form data-confirm="Are you sure?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("hx-post")) {
      return; // htmx asks through hx-confirm
    }
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Move focus to the error summary so screen-reader users hear what went wrong.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });

  // htmx: a refused CSRF token (an old page, logged out in another tab). The server sends the
  // message in HX-Trigger instead of a page, so the form and what was typed stay; the message
  // goes beside the form and is removed once a request from it succeeds.
  document.addEventListener("portal:csrf-failure", function (event) {
    var source = event.target;
    var anchor = (source.closest && source.closest("form")) || source;
    if (!anchor || !anchor.parentNode) { return; }
    var message = anchor.previousElementSibling;
    if (!message || !message.hasAttribute("data-csrf-message")) {
      message = document.createElement("p");
      message.className = "message message--error";
      message.setAttribute("role", "alert");
      message.setAttribute("data-csrf-message", "");
      anchor.parentNode.insertBefore(message, anchor);
    }
    message.textContent = event.detail && event.detail.message ? event.detail.message : "";
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) { return; }
    var source = event.target;
    var anchor = (source.closest && source.closest("form")) || source;
    var message = anchor && anchor.previousElementSibling;
    if (message && message.hasAttribute("data-csrf-message")) { message.remove(); }
  });

  // htmx: an expired session or a server error must not fail silently.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    var region = document.getElementById("htmx-status");
    if (xhr && (xhr.getResponseHeader("HX-Trigger") || "").indexOf("portal:csrf-failure") !== -1) {
      return; // the message beside the form says it
    }
    if (region) {
      region.textContent = status >= 500
        ? region.getAttribute("data-server-error")
        : region.getAttribute("data-client-error");
    }
  });
})();
