// The studio reloads the page after each action; give keyboard focus back to the control
// the person used (or to the item it acted on), named by ?focus= in the address.
(function () {
  "use strict";
  var id = new URLSearchParams(window.location.search).get("focus");
  if (!id) { return; }
  var target = document.getElementById(id);
  if (target && target.disabled) {
    // A move to the top or bottom disables the button just pressed: focus the item.
    target = document.getElementById(id.replace(/^(up|down)-/, ""));
  }
  if (!target) { return; }
  var details = target.closest("details");
  if (details) { details.open = true; }
  if (!target.hasAttribute("tabindex") && !/^(BUTTON|INPUT|TEXTAREA|SELECT|A)$/.test(target.tagName)) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
  target.scrollIntoView({block: "center"});
}());
