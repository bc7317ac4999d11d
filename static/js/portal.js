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

  // htmx: an expired session or a server error must not fail silently.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var region = document.getElementById("htmx-status");
    if (region) {
      region.textContent = status >= 500
        ? region.getAttribute("data-server-error")
        : region.getAttribute("data-client-error");
    }
  });
})();
