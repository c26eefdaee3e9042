// The JS half of LineChart.razor. Chart.js (UMD build) must already be loaded as a global;
// chartjs-plugin-zoom (with hammerjs) too when zoom is asked for.

const capacities = new WeakMap();
// LineChart.razor renders each batch of live points into this attribute of the canvas's parent.
const appendedAttribute = 'data-appended';
const followers = new WeakMap();
// Each chart's canvas by the key LineChart gives it. A component disposed while createChart was
// under way destroys its chart after Blazor has removed the canvas, when the element reference
// it passes arrives as null.
const keyed = new Map();

function chartLibrary() {
    const library = globalThis.Chart;
    if (!library) {
        throw new Error('LineChart: Chart.js is not loaded. Add <script src="lib/chart.js/chart.umd.min.js"></script> before blazor.web.js.');
    }
    if (globalThis.ChartZoom && !library.registry.plugins.get('zoom')) {
        library.register(globalThis.ChartZoom);
    }
    return library;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const dayTimeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const grid = 'rgba(128, 128, 128, 0.25)';

// Draws the low and high limits as dashed lines across the plot.
const thresholdLines = {
    id: 'thresholdLines',
    afterDatasetsDraw(chart, _args, options) {
        const { ctx, chartArea, scales } = chart;
        ctx.save();
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = 1.5;
        for (const [value, color] of [[options.low, '#1f6fd1'], [options.high, '#d12f1f']]) {
            if (value === null || value === undefined) {
                continue;
            }
            const y = scales.y.getPixelForValue(value);
            if (y < chartArea.top || y > chartArea.bottom) {
                continue;
            }
            ctx.strokeStyle = color;
            ctx.beginPath();
            ctx.moveTo(chartArea.left, y);
            ctx.lineTo(chartArea.right, y);
            ctx.stroke();
        }
        ctx.restore();
    },
};

function toDataset(series) {
    const band = series.kind === 'BandLow' || series.kind === 'BandHigh';
    return {
        label: series.label,
        data: series.points.slice(),
        borderColor: series.color,
        backgroundColor: band ? series.color + '33' : series.color,
        borderWidth: band ? 0 : 2,
        pointRadius: band ? 0 : 1.5,
        fill: series.kind === 'BandHigh' ? '-1' : false,
        tension: 0,
        yAxisID: series.secondAxis ? 'y2' : 'y',
        band,
    };
}

function tickLabel(chart) {
    return value => {
        const span = chart.scales.x.max - chart.scales.x.min;
        return (span > 36 * 3600 * 1000 ? dayTimeFormat : timeFormat).format(value);
    };
}

// Setups, series and thresholds arrive as JSON text: see ChartJsonContext for why.
export function createChart(canvas, setupJson, key) {
    const setup = JSON.parse(setupJson);
    const Chart = chartLibrary();
    Chart.getChart(canvas)?.destroy();
    // Follow the page's text colour, so the axes stay readable in light and dark themes.
    const text = getComputedStyle(canvas).color;
    const secondAxis = setup.series.some(s => s.secondAxis);
    const zoom = setup.zoom && Chart.registry.plugins.get('zoom')
        ? { zoom: { wheel: { enabled: true }, pinch: { enabled: true }, mode: 'x' }, pan: { enabled: true, mode: 'x' } }
        : undefined;
    const chart = new Chart(canvas, {
        type: 'line',
        data: { datasets: setup.series.map(toDataset) },
        options: {
            animation: false,
            parsing: false,
            normalized: true,
            // A sensor silent for more than five minutes leaves a gap instead of a misleading straight line.
            spanGaps: 5 * 60 * 1000,
            maintainAspectRatio: false,
            interaction: { mode: 'nearest', axis: 'x', intersect: false },
            scales: {
                // A linear axis in Unix milliseconds is a real time axis without a date adapter.
                x: {
                    type: 'linear',
                    ticks: { color: text, maxRotation: 0, autoSkipPadding: 16 },
                    grid: { color: grid },
                    // Labels show whole seconds, so sub-second ticks would repeat the same label.
                    afterBuildTicks: axis => { axis.ticks = axis.ticks.filter(tick => tick.value % 1000 === 0); },
                },
                y: { type: 'linear', grace: '5%', ticks: { color: text }, grid: { color: grid }, title: { display: !!setup.yTitle, text: setup.yTitle ?? '', color: text } },
                y2: { type: 'linear', position: 'right', display: secondAxis, grace: '5%', ticks: { color: text }, grid: { drawOnChartArea: false }, title: { display: !!setup.y2Title, text: setup.y2Title ?? '', color: text } },
            },
            plugins: {
                legend: { labels: { color: text, filter: (item, data) => !data.datasets[item.datasetIndex].band } },
                tooltip: { callbacks: { title: items => items.length ? dateTimeFormat.format(items[0].parsed.x) : '' } },
                decimation: { enabled: true, algorithm: 'min-max' },
                thresholdLines: setup.thresholds ?? {},
                zoom,
            },
        },
        plugins: [thresholdLines],
    });
    chart.options.scales.x.ticks.callback = tickLabel(chart);
    capacities.set(chart, setup.capacity);
    chart.update('none');
    follow(canvas);
    if (key !== undefined) {
        keyed.set(key, canvas);
    }
}

function generationOf(text) {
    return text ? JSON.parse(text).generation : 0;
}

// Applies every batch of points the component renders, each once and in order.
function follow(canvas) {
    followers.get(canvas)?.disconnect();
    const holder = canvas.parentElement;
    let applied = generationOf(holder.getAttribute(appendedAttribute));
    const apply = (chart, text) => {
        if (!text) {
            return false;
        }
        const batch = JSON.parse(text);
        if (batch.generation <= applied) {
            return false;
        }
        applied = batch.generation;
        for (const { series, points } of batch.appends) {
            addPoints(chart, series, points);
        }
        return true;
    };
    const observer = new MutationObserver(records => {
        const chart = chartLibrary().getChart(canvas);
        if (!chart) {
            return;
        }
        // A record keeps the value before its change, so renders that land together are each seen:
        // the later records' old values, then the current one.
        let changed = false;
        for (let i = 1; i < records.length; i++) {
            changed = apply(chart, records[i].oldValue) || changed;
        }
        changed = apply(chart, holder.getAttribute(appendedAttribute)) || changed;
        if (changed) {
            chart.update('none');
        }
    });
    observer.observe(holder, { attributeFilter: [appendedAttribute], attributeOldValue: true });
    followers.set(canvas, observer);
}

function addPoints(chart, series, points) {
    const dataset = chart.data.datasets[series];
    if (!dataset) {
        return;
    }
    const data = dataset.data;
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
}

export function replaceSeries(canvas, seriesJson, capacity) {
    const series = JSON.parse(seriesJson);
    const chart = chartLibrary().getChart(canvas);
    if (!chart) {
        return;
    }
    capacities.set(chart, capacity);
    chart.data.datasets = series.map(toDataset);
    chart.options.scales.y2.display = series.some(s => s.secondAxis);
    chart.resetZoom?.();
    chart.update('none');
}

export function setThresholds(canvas, thresholdsJson) {
    const thresholds = JSON.parse(thresholdsJson);
    const chart = chartLibrary().getChart(canvas);
    if (!chart) {
        return;
    }
    chart.options.plugins.thresholdLines = thresholds ?? {};
    chart.update('none');
}

export function resetZoom(canvas) {
    chartLibrary().getChart(canvas)?.resetZoom?.();
}

export function destroyChart(canvas, key) {
    const target = keyed.get(key) ?? canvas;
    keyed.delete(key);
    if (!target) {
        return;
    }
    followers.get(target)?.disconnect();
    followers.delete(target);
    globalThis.Chart?.getChart(target)?.destroy();
}
