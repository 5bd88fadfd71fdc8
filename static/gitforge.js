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

  function refresh() {
    var live = document.getElementById("live");
    if (!live) return;
    fetch(live.dataset.refreshUrl, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) throw new Error("refresh failed: " + response.status);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#live");
        if (fresh) live.replaceWith(fresh);
        schedule();
      })
      .catch(function () {
        window.setTimeout(refresh, INTERVAL_MS * 3);
      });
  }

  document.addEventListener("DOMContentLoaded", schedule);
})();
