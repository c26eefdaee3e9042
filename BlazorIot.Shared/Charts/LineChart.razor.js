// The JS half of LineChart.razor. Chart.js (UMD build) must already be loaded as a global.

const capacities = new WeakMap();

function chartLibrary() {
    const library = globalThis.Chart;
    if (!library) {
        throw new Error('LineChart: Chart.js is not loaded. Add <script src="lib/chart.js/chart.umd.min.js"></script> before blazor.web.js.');
    }
    return library;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function createChart(canvas, setup) {
    const Chart = chartLibrary();
    Chart.getChart(canvas)?.destroy();
    // Follow the page's text colour, so the axes stay readable in light and dark themes.
    const text = getComputedStyle(canvas).color;
    const grid = 'rgba(128, 128, 128, 0.25)';
    const chart = new Chart(canvas, {
        type: 'line',
        data: {
            datasets: [{
                label: setup.label,
                data: setup.points.slice(),
                borderColor: setup.color,
                backgroundColor: setup.color,
                borderWidth: 2,
                pointRadius: 2,
                tension: 0,
            }],
        },
        options: {
            animation: false,
            parsing: false,
            normalized: true,
            maintainAspectRatio: false,
            interaction: { mode: 'nearest', intersect: false },
            scales: {
                // A linear axis in Unix milliseconds is a real time axis without a date adapter.
                x: {
                    type: 'linear',
                    ticks: { color: text, maxRotation: 0, autoSkipPadding: 16, callback: value => timeFormat.format(value) },
                    grid: { color: grid },
                    // Labels show whole seconds, so sub-second ticks would repeat the same label.
                    afterBuildTicks: axis => { axis.ticks = axis.ticks.filter(tick => tick.value % 1000 === 0); },
                },
                y: { type: 'linear', grace: '5%', ticks: { color: text }, grid: { color: grid } },
            },
            plugins: {
                legend: { labels: { color: text } },
                tooltip: { callbacks: { title: items => items.length ? dateTimeFormat.format(items[0].parsed.x) : '' } },
            },
        },
    });
    capacities.set(chart, setup.capacity);
}

export function appendPoints(canvas, points) {
    const chart = chartLibrary().getChart(canvas);
    if (!chart) {
        return;
    }
    const data = chart.data.datasets[0].data;
    const lastX = data.length ? data[data.length - 1].x : -Infinity;
    data.push(...points);
    // A late reading (older device timestamp) must not fold the line back on itself.
    if (points.some(point => point.x < lastX)) {
        data.sort((a, b) => a.x - b.x);
    }
    const excess = data.length - capacities.get(chart);
    if (excess > 0) {
        data.splice(0, excess);
    }
    chart.update('none');
}

export function destroyChart(canvas) {
    globalThis.Chart?.getChart(canvas)?.destroy();
}
