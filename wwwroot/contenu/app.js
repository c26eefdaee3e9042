// The plain client of /connexion: one chart, created once and updated in place on every snapshot.
'use strict';

(function () {
    const sensor = new URLSearchParams(location.search).get('sensor');
    const streamUrl = '/connexion' + (sensor ? '?sensor=' + encodeURIComponent(sensor) : '');
    const state = document.getElementById('connection');
    const lastUpdate = document.getElementById('last-update');
    const stateText = { connecting: 'connexion…', live: 'en direct', reconnecting: 'reconnexion…', closed: 'déconnecté' };

    function showState(name) {
        state.dataset.state = name;
        state.textContent = stateText[name];
    }

    const canvas = document.getElementById('mon_graphe');
    const text = getComputedStyle(canvas).color;
    const grid = 'rgba(128, 128, 128, 0.25)';
    const chart = new Chart(canvas, {
        type: 'line',
        data: { labels: [], datasets: [{ label: sensor || 'luminosité', data: [], borderColor: '#9510cd', backgroundColor: '#9510cd', tension: 0 }] },
        options: {
            animation: false,
            maintainAspectRatio: false,
            // No fixed range: the axis follows the data, negative values included.
            scales: {
                x: { ticks: { color: text }, grid: { color: grid } },
                y: { grace: '5%', ticks: { color: text }, grid: { color: grid } },
            },
            plugins: { legend: { labels: { color: text } } },
        },
    });

    const source = new EventSource(streamUrl);
    source.onopen = () => showState('live');
    // EventSource reconnects by itself; only reflect what it is doing.
    source.onerror = () => showState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.onmessage = message => {
        const snapshot = JSON.parse(message.data);
        chart.data.labels = snapshot.labels;
        chart.data.datasets[0].data = snapshot.data;
        chart.update('none');
        showState('live');
        lastUpdate.textContent = snapshot.labels.length ? 'dernière mesure : ' + snapshot.labels[snapshot.labels.length - 1] : '';
    };
})();
