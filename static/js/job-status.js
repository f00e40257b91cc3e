/* A background job's page (assessments/jobs/templates/assessments/job_detail.html):
   asks the job's status URL every few seconds, shows a change of status in place (the
   box is a polite live region) and reloads the page once the job has finished, so the
   result link or the error and the "Try again" button appear. Without JavaScript a
   <noscript> refresh reloads the page instead. */
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var shown = box.getAttribute("data-status");
  var label = document.getElementById("job-status-label");
  var message = document.getElementById("job-status-message");
  var delay = 1500;

  function later() {
    window.setTimeout(poll, delay);
  }

  function poll() {
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (job) {
        if (job.finished) {
          window.location.reload();
          return;
        }
        if (job.status !== shown) {
          shown = job.status;
          label.textContent = job.label;
          message.textContent = job.message;
        }
        delay = 1500;
        later();
      })
      .catch(function () {
        // The server or the connection is down for a moment: ask less often.
        delay = Math.min(delay * 2, 30000);
        later();
      });
  }

  later();
})();
