/* Never lose typing (issue 13): every form marked data-draft="<key>" keeps a copy of
   what the person types in this browser's localStorage, under
   "hsassess.draft.<key>" (the key names the person, the assessment and the form), and
   the page warns before it is left while such a form holds unsaved changes.

   - After a crash or a closed tab, opening the form again puts the typed text back and
     says so in the form's live region, with a button to throw the draft away.
   - Submitting marks the draft as sent. The next page drops it if it says the save
     succeeded (a success message); a page with errors, a failed connection or a server
     error keeps it.
   - Drafts older than a week are dropped, and signing out drops the person's drafts: a
     shared computer keeps no assessment text for the next person.
   The restored hidden fields include each answer's base version, so a draft typed
   before someone else's save comes back as a conflict, never as a silent overwrite.
   Without JavaScript the forms work as before; only the safety net is missing. */
(function () {
  "use strict";
  var PREFIX = "hsassess.draft.";
  var SENT = "hsassess.draft-sent";
  var WEEK_MS = 7 * 24 * 3600 * 1000;
  var store;
  try {
    store = window.localStorage;
    store.getItem(PREFIX);
  } catch (e) {
    return; // storage disabled: the forms still save, the page still works
  }

  function read(name) {
    try {
      return JSON.parse(store.getItem(name) || "null");
    } catch (e) {
      return null;
    }
  }

  function write(name, value) {
    try {
      store.setItem(name, JSON.stringify(value));
    } catch (e) {
      /* full or refused: the form still saves */
    }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      return (
        el.name &&
        el.name !== "csrfmiddlewaretoken" &&
        ["submit", "button", "reset", "file", "password"].indexOf(type) < 0
      );
    });
  }

  function visible(el) {
    return (el.type || "").toLowerCase() !== "hidden";
  }

  // The form as {name: [values]}: a group of checkboxes is one name with several values.
  function values(form, onlyVisible) {
    var out = {};
    fields(form).forEach(function (el) {
      if (onlyVisible && !visible(el)) return;
      var list = out[el.name] || (out[el.name] = []);
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        if (el.checked) list.push(el.value);
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) {
          list.push(o.value);
        });
      } else {
        list.push(el.value);
      }
    });
    return out;
  }

  function initialValues(form) {
    var out = {};
    fields(form).forEach(function (el) {
      if (!visible(el)) return;
      var list = out[el.name] || (out[el.name] = []);
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        if (el.defaultChecked) list.push(el.value);
      } else if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (o) {
          if (o.defaultSelected) list.push(o.value);
        });
      } else {
        list.push(el.defaultValue);
      }
    });
    return out;
  }

  function same(a, b) {
    var names = Object.keys(a).concat(Object.keys(b));
    return names.every(function (n) {
      return JSON.stringify(a[n] || []) === JSON.stringify(b[n] || []);
    });
  }

  function restore(form, saved) {
    fields(form).forEach(function (el) {
      if (!(el.name in saved)) return;
      var wanted = saved[el.name];
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        el.checked = wanted.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = wanted.indexOf(o.value) >= 0;
        });
      } else {
        // Several fields of one name (rare): each takes its own value in order.
        var same_named = form.querySelectorAll('[name="' + CSS.escape(el.name) + '"]');
        var index = Array.prototype.indexOf.call(same_named, el);
        if (index >= 0 && index < wanted.length) el.value = wanted[index];
      }
    });
  }

  function showsErrors(form) {
    return !!(
      form.querySelector(".is-invalid, [role=alert]") ||
      document.querySelector(".messages .alert-danger, .messages .alert-warning, main > .alert-danger")
    );
  }

  function tellRestored(form, name) {
    var box = form.querySelector("[data-draft-status]");
    var notice = form.querySelector("template[data-draft-notice]");
    if (!box || !notice) return;
    box.replaceChildren(notice.content.cloneNode(true));
    box.classList.add("alert", "alert-info");
    var discard = box.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        store.removeItem(name);
        form.reset();
        box.replaceChildren(document.createTextNode(discard.getAttribute("data-done") || ""));
        form.hsDirty = false;
      });
    }
  }

  // Old drafts go; a draft whose form was sent goes unless the form came back with errors.
  var now = Date.now();
  for (var i = store.length - 1; i >= 0; i--) {
    var key = store.key(i);
    if (key && key.indexOf(PREFIX) === 0) {
      var d = read(key);
      if (!d || now - (d.at || 0) > WEEK_MS) store.removeItem(key);
    }
  }
  var sent = read(SENT);
  store.removeItem(SENT);
  if (sent && sent.name && document.querySelector(".messages .alert-success")) {
    store.removeItem(sent.name); // saved: the server said so
  }

  var forms = document.querySelectorAll("form[data-draft]");
  Array.prototype.forEach.call(forms, function (form) {
    var name = PREFIX + form.getAttribute("data-draft");
    var initial = initialValues(form);
    var draft = read(name);
    var erred = showsErrors(form);
    form.hsDirty = erred; // a form sent back with errors holds what was not saved
    if (draft && draft.fields) {
      var shown = values(form, true);
      var typed = {};
      Object.keys(draft.fields).forEach(function (n) {
        if (n in shown) typed[n] = draft.fields[n];
      });
      if (!same(typed, shown)) {
        restore(form, draft.fields);
        form.hsDirty = true;
        tellRestored(form, name);
      } else if (!erred) {
        store.removeItem(name);
      }
    }

    function remember() {
      form.hsDirty = !same(values(form, true), initial);
      if (form.hsDirty) {
        write(name, { at: Date.now(), fields: values(form, false) });
      } else {
        store.removeItem(name);
      }
    }
    form.addEventListener("input", remember);
    form.addEventListener("change", remember);
    form.addEventListener("submit", function () {
      form.hsSubmitting = true;
      write(SENT, { name: name, at: Date.now() });
    });
  });

  // Switching the interface language reloads the same page: the drafts are in this
  // browser already and come back there, so the switch does not ask to leave.
  var switching = false;
  var keeper = document.querySelector("form[data-draft-keep]");
  if (keeper) {
    keeper.addEventListener("submit", function () {
      switching = true;
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (switching) return;
    var unsaved = Array.prototype.some.call(forms, function (form) {
      return form.hsDirty && !form.hsSubmitting;
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to ask
    }
  });

  // Signing out leaves nobody's text behind in this browser.
  var signOut = document.querySelector("form[data-draft-clear]");
  if (signOut) {
    signOut.addEventListener("submit", function () {
      var mine = PREFIX + signOut.getAttribute("data-draft-clear");
      for (var j = store.length - 1; j >= 0; j--) {
        var k = store.key(j);
        if (k && k.indexOf(mine) === 0) store.removeItem(k);
      }
    });
  }
})();
