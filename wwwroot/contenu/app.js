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

    const chart = new Chart(document.getElementById('mon_graphe'), {
        type: 'line',
        data: { labels: [], datasets: [{ label: sensor || 'luminosité', data: [], borderColor: '#9510cd', backgroundColor: '#9510cd', tension: 0 }] },
        options: {
            animation: false,
            maintainAspectRatio: false,
            // No fixed range: the axis follows the data, negative values included.
            scales: { y: { grace: '5%' } },
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
