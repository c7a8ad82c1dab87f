/* Room view: draw the charts from their embedded JSON, and keep the count fresh.
   Without JavaScript the tables beside the charts carry the same numbers, and a
   <noscript> refresh keeps the count fresh while a round runs. */
(function () {
  "use strict";

  function drawCharts() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("script.chart-data").forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-target"));
      if (!target) { return; }
      var figure = JSON.parse(node.textContent);
      window.Plotly.newPlot(target, figure.data, figure.layout, {
        staticPlot: true, responsive: true, displayModeBar: false
      });
    });
  }

  function pollCount() {
    var box = document.querySelector("[data-count-url]");
    if (!box || box.getAttribute("data-state") !== "open") { return; }
    var number = box.querySelector("[data-count]");
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
    window.setInterval(function () {
      fetch(box.getAttribute("data-count-url"), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data) { return; }
        if (data.state !== box.getAttribute("data-state") ||
            String(data.round) !== box.getAttribute("data-round")) {
          window.location.reload();
          return;
        }
        var text = format.format(data.counted);
        if (number.textContent !== text) { number.textContent = text; }
      }).catch(function () { /* offline for a moment: try again next time */ });
    }, 5000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    pollCount();
  });
}());
