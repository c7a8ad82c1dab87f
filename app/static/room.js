/* Room view: draw the charts from their embedded JSON, and keep the count fresh.
   Without JavaScript the tables beside the charts carry the same numbers, and a
   <noscript> refresh keeps the count fresh while a round runs. */
(function () {
  "use strict";

  /* Draw one chart; while the page is still settling (a narrow phone, a right-to-left
     layout) plotly can find no room for an axis and throw, so try again a little later.
     One chart that cannot be drawn never keeps the others from drawing; its table stays. */
  function draw(target, figure, triesLeft) {
    function retry() {
      if (triesLeft > 0) {
        window.setTimeout(function () { draw(target, figure, triesLeft - 1); }, 200);
      }
    }
    try {
      var drawn = window.Plotly.newPlot(target, figure.data, figure.layout, {
        staticPlot: true, responsive: true, displayModeBar: false
      });
      if (drawn && drawn.catch) { drawn.catch(retry); }
    } catch (error) {
      retry();
    }
  }

  function drawCharts() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("script.chart-data").forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-target"));
      if (!target) { return; }
      draw(target, JSON.parse(node.textContent), 3);
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
