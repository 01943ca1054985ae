// The plan dashboard's stacked bars. The figures come from the page as a JSON data block
// (json_script), so the template carries no inline script (CSP).
(function () {
  "use strict";

  var COLORS = { on_track: "#059669", at_risk: "#d97706", overdue: "#b91c1c", completed: "#2563eb" };

  function stacked(data) {
    return {
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 64 },
      xAxis: {
        type: "category",
        data: data.categories,
        axisLabel: { interval: 0, rotate: data.categories.length > 5 ? 30 : 0 }
      },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { type: "bar", stack: "items", name: s.name, data: s.data, barMaxWidth: 48, color: COLORS[s.key] };
      })
    };
  }

  function draw(id, data) {
    var element = document.getElementById(id);
    if (!element || !data || typeof echarts === "undefined") { return; }
    if (!data.categories.length) { element.classList.add("d-none"); return; }
    var chart = echarts.init(element);
    chart.setOption(stacked(data));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var block = document.getElementById("dashboard-data");
    if (!block) { return; }
    var data = JSON.parse(block.textContent);
    draw("chart-office", data.office);
    draw("chart-kind", data.kind);
  });
})();
