// The group form's age band: choosing one fills "from age" and "to age" (without this
// script the server does the same on save); typing an age clears the band, so what is
// sent is never two different answers.
(function () {
  "use strict";
  var RANGES = {
    all: ["", ""], "0-5": ["0", "5"], "6-12": ["6", "12"], "13-17": ["13", "17"],
    "18-49": ["18", "49"], "50-59": ["50", "59"], "60-69": ["60", "69"],
    "70-79": ["70", "79"], "80+": ["80", ""], children: ["0", "17"],
    adults: ["18", "59"], older: ["60", ""],
  };
  document.querySelectorAll("select[data-age-band]").forEach(function (select) {
    var form = select.form;
    var from = form.querySelector("input[name='age_from']");
    var to = form.querySelector("input[name='age_to']");
    if (!from || !to) return;
    var filling = false;
    select.addEventListener("change", function () {
      var range = RANGES[select.value];
      if (!range) return;
      filling = true;
      from.value = range[0];
      to.value = range[1];
      // drafts.js keeps a local draft on input events.
      from.dispatchEvent(new Event("input", { bubbles: true }));
      to.dispatchEvent(new Event("input", { bubbles: true }));
      filling = false;
    });
    [from, to].forEach(function (input) {
      input.addEventListener("input", function () {
        if (!filling) select.value = "";
      });
    });
  });
})();
