// Refresh the checks box and merge box of a pull request while any check is pending or
// expected; stop once every check is final. Without JavaScript a reload shows the same.
(function () {
  "use strict";
  var INTERVAL_MS = 2000;

  function schedule() {
    var live = document.getElementById("live");
    if (!live || live.dataset.live !== "true") return;
    window.setTimeout(refresh, INTERVAL_MS);
  }

  // Each refresh sends the ETag of what the page shows; 304 means nothing changed.
  function refresh() {
    var live = document.getElementById("live");
    if (!live) return;
    var headers = { "X-Requested-With": "fetch" };
    if (live.dataset.etag) headers["If-None-Match"] = live.dataset.etag;
    fetch(live.dataset.refreshUrl, {
      credentials: "same-origin",
      headers: headers,
      cache: "no-store",
    })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error("refresh failed: " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (html !== null) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#live");
          if (fresh) live.replaceWith(fresh);
        }
        schedule();
      })
      .catch(function () {
        window.setTimeout(refresh, INTERVAL_MS * 3);
      });
  }

  document.addEventListener("DOMContentLoaded", schedule);
})();
