// The statistics page's charts. The figures come from the page as a JSON data block
// (json_script), so the template carries no inline script (CSP).
(function () {
  "use strict";

  var COLORS = ["#9b1c1c", "#d97706", "#2563eb", "#059669", "#7c3aed", "#64748b", "#db2777", "#0891b2", "#65a30d"];

  function readData() {
    var block = document.getElementById("statistics-data");
    return block ? JSON.parse(block.textContent) : null;
  }

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element || typeof echarts === "undefined") { return null; }
    var chart = echarts.init(element);
    // Tooltips drawn on the canvas: HTML tooltips carry inline style attributes that the CSP
    // refuses.
    if (option.tooltip) { option.tooltip.renderMode = "richText"; }
    chart.setOption(Object.assign({ color: COLORS, animation: false }, option));
    return chart;
  }

  function pie(items) {
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
      legend: { type: "scroll", bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: items, label: { formatter: "{b}\n{c}" } }]
    };
  }

  function bars(items) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: { type: "category", data: items.map(function (i) { return i.name; }), axisLabel: { interval: 0, rotate: items.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", barMaxWidth: 48, data: items.map(function (i) { return i.value; }), label: { show: true, position: "top" } }]
    };
  }

  function rates(items) {
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
      grid: { left: 150, right: 48, top: 16, bottom: 24 },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: items.map(function (i) { return i.name; }) },
      series: [{
        type: "bar",
        barMaxWidth: 32,
        data: items.map(function (i) { return i.value; }),
        label: { show: true, position: "right", formatter: function (p) { return p.value === null || p.value === undefined ? "—" : p.value + "%"; } }
      }]
    };
  }

  function units(data) {
    function series(name, values, color) {
      return { name: name, type: "bar", stack: "units", barMaxWidth: 48, data: values, itemStyle: { color: color } };
    }
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 96 },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 6 ? 35 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        series("按期答复", data.onTime, "#059669"),
        series("超期答复", data.late, "#d97706"),
        series("逾期未答复", data.overdue, "#9b1c1c")
      ]
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = readData();
    if (!data) { return; }
    var charts = [
      draw("chart-state", bars(data.byState)),
      draw("chart-category", pie(data.byCategory)),
      draw("chart-answer-category", pie(data.byAnswerCategory)),
      draw("chart-rates", rates(data.rates)),
      draw("chart-units", units(data.units))
    ].filter(Boolean);
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  });
})();
