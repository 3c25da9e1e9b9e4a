// htmx sends the antiforgery token as a header on every request it makes; every
// state-changing endpoint validates it (the server renders the token into a meta tag).
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="lp-antiforgery"]')?.content;
  if (token) {
    event.detail.headers["RequestVerificationToken"] = token;
  }
});

// The live panel's answer chart: counts come from data-answers on the requests fragment, which
// the server pushes over SSE; the chart follows each swap.
(() => {
  let chart;
  const draw = () => {
    const canvas = document.getElementById("answers-chart");
    const source = document.getElementById("panel-requests");
    if (!canvas || !source || typeof Chart === "undefined") {
      return;
    }
    const counts = JSON.parse(source.dataset.answers || "{}");
    const labels = Object.keys(counts);
    const values = labels.map((label) => counts[label]);
    if (!chart) {
      chart = new Chart(canvas, {
        type: "bar",
        data: { labels, datasets: [{ label: canvas.getAttribute("aria-label"), data: values }] },
        options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
    } else {
      chart.data.labels = labels;
      chart.data.datasets[0].data = values;
      chart.update();
    }
  };
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
