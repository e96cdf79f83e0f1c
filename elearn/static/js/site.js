// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Mark a section as read once its end scrolls into view (the button still works without JS).
  var marker = document.querySelector("form[data-read-marker]");
  if (marker && "IntersectionObserver" in window && window.fetch) {
    var sent = false;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && !sent) {
          sent = true;
          fetch(marker.action, {
            method: "POST",
            credentials: "same-origin",
            headers: { "X-Requested-With": "fetch" },
            body: new FormData(marker)
          }).then(function (response) {
            // Reading this section completed the path: show the completion page.
            var done = response.headers.get("X-Completed");
            if (done) { window.location.assign(done); }
          }).catch(function () { sent = false; });
          observer.disconnect();
        }
      });
    });
    observer.observe(marker);
  }

  // A form came back with errors: move focus to the announced summary so keyboard and
  // screen-reader users start there (the page works the same without this).
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Disable a submit button after the first click so a double click sends once
  // (the server counts a double submission once anyway).
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        window.setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
})();
