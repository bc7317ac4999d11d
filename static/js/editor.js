// Rich-text editing for plan sections, autosave feedback and drafts that survive a lost
// connection. Progressive enhancement: without this file the <textarea> posts HTML as is.
(function () {
  "use strict";

  function draftKey(form) { return "portal-draft:" + form.getAttribute("data-draft-key"); }

  function setStatus(form, text, kind) {
    var status = form.querySelector(".save-status");
    if (!status) { return; }
    status.textContent = text;
    status.classList.remove("save-status--ok", "save-status--error", "save-status--busy");
    if (kind) { status.classList.add("save-status--" + kind); }
  }

  function storeDraft(form, source) {
    try {
      var heading = form.querySelector(".section-form__heading");
      window.localStorage.setItem(draftKey(form), JSON.stringify({
        body: source.value, heading: heading ? heading.value : "", at: new Date().toISOString()
      }));
    } catch (e) { /* storage full or disabled: autosave still works */ }
  }

  function clearDraft(form) {
    try { window.localStorage.removeItem(draftKey(form)); } catch (e) { /* ignore */ }
  }

  function offerDraft(form, source, editor) {
    var raw;
    try { raw = window.localStorage.getItem(draftKey(form)); } catch (e) { return; }
    if (!raw) { return; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { clearDraft(form); return; }
    if (!draft || draft.body === source.value) { clearDraft(form); return; }
    var notice = form.querySelector(".draft-notice");
    if (!notice) { return; }
    notice.textContent = "";
    var message = document.createElement("p");
    message.textContent = notice.getAttribute("data-message");
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button button--small";
    restore.textContent = notice.getAttribute("data-restore-label");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button--small button--secondary";
    discard.textContent = notice.getAttribute("data-discard-label");
    restore.addEventListener("click", function () {
      source.value = draft.body;
      editor.innerHTML = draft.body;
      var heading = form.querySelector(".section-form__heading");
      if (heading && draft.heading) { heading.value = draft.heading; }
      notice.hidden = true;
      form.dispatchEvent(new CustomEvent("editor-input", { bubbles: true }));
    });
    discard.addEventListener("click", function () { clearDraft(form); notice.hidden = true; });
    notice.appendChild(message);
    notice.appendChild(restore);
    notice.appendChild(discard);
    notice.hidden = false;
  }

  function enhance(source) {
    if (source.getAttribute("data-enhanced")) { return; }
    source.setAttribute("data-enhanced", "1");
    var form = source.closest("form");
    var toolbar = form.querySelector(".editor-toolbar");
    var label = document.getElementById(source.id + "-label");
    var editor = document.createElement("div");
    editor.className = "rich-editor prose";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (label) { editor.setAttribute("aria-labelledby", label.id); label.removeAttribute("for"); }
    editor.innerHTML = source.value;
    source.hidden = true;
    source.parentNode.insertBefore(editor, source);
    if (toolbar) {
      toolbar.hidden = false;
      toolbar.setAttribute("aria-controls", "");
      toolbar.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-command]");
        if (!button) { return; }
        var command = button.getAttribute("data-command");
        var value = button.getAttribute("data-value");
        editor.focus();
        if (command === "createLink") {
          value = window.prompt(button.getAttribute("data-prompt"), "https://");
          if (!value) { return; }
        }
        document.execCommand(command, false, value ? (command === "formatBlock" ? "<" + value + ">" : value) : null);
        sync();
      });
    }
    function sync() {
      source.value = editor.innerHTML;
      storeDraft(form, source);
      form.dispatchEvent(new CustomEvent("editor-input", { bubbles: true }));
    }
    editor.addEventListener("input", sync);
    offerDraft(form, source, editor);
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("textarea[data-rich-text]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });

  // Autosave feedback for section forms.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest(".section-form");
    if (form) {
      var status = form.querySelector(".save-status");
      if (status) { setStatus(form, status.getAttribute("data-saving"), "busy"); }
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest(".section-form");
    if (!form) { return; }
    // Only a real save (200) clears the browser copy: a 409 conflict or 422 error keeps it.
    if (event.detail.xhr && event.detail.xhr.status === 200) { clearDraft(form); }
  });
  // A refused save (403, 404, 500 …; 409 and 422 are swapped in with their own text) must not
  // stay "Saving …": the draft is kept in this browser.
  document.addEventListener("htmx:responseError", function (event) {
    var form = event.target.closest && event.target.closest(".section-form");
    if (!form) { return; }
    var status = form.querySelector(".save-status");
    if (status) { setStatus(form, status.getAttribute("data-error"), "error"); }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.target.closest && event.target.closest(".section-form");
    if (!form) { return; }
    var status = form.querySelector(".save-status");
    if (status) { setStatus(form, status.getAttribute("data-offline"), "error"); }
    form.setAttribute("data-unsaved", "1");
  });
  window.addEventListener("online", function () {
    document.querySelectorAll(".section-form[data-unsaved]").forEach(function (form) {
      form.removeAttribute("data-unsaved");
      form.dispatchEvent(new CustomEvent("editor-input", { bubbles: true }));
    });
  });
})();
