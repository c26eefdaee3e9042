using BlazorIot.Server.Live;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Components;

namespace BlazorIot.Server.Dashboard.Pages;

/// <summary>
/// A card per sensor; a sensor that reports for the first time gets its card at once, without a
/// reload, and a sensor described, renamed, deleted or given imported history changes on every open page.
/// </summary>
public sealed partial class Home : ComponentBase, IDisposable
{
    private const int CardPoints = 120;

    private readonly Lock gate = new();
    private readonly HashSet<string> known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SensorCard> cards = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CardHistory> histories = new(StringComparer.Ordinal);
    // A card starts from its history once; a new generation makes a new card when the history changed under it.
    private readonly Dictionary<string, int> generations = new(StringComparer.Ordinal);
    private List<SensorInfo> sensors = [];
    private IDisposable? ticks;
    private IDisposable? newSensors;
    private IDisposable? sensorChanges;

    [Inject]
    private ReadingStore Store { get; set; } = default!;

    [Inject]
    private LiveFeed Feed { get; set; } = default!;

    [Inject]
    private DashboardClock Clock { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        sensors = [.. await Store.ListSensorsAsync(CancellationToken.None)];
        foreach (var sensor in sensors)
        {
            histories[sensor.Id] = await RecentAsync(sensor.Id);
        }
        lock (gate)
        {
            known.UnionWith(sensors.Select(s => s.Id));
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        newSensors = Feed.SubscribeAll(reading =>
        {
            lock (gate)
            {
                if (!known.Add(reading.Sensor))
                {
                    return;
                }
            }
            _ = InvokeAsync(() => AddSensorAsync(reading.Sensor));
        });
        sensorChanges = Feed.SubscribeChanges(change => _ = InvokeAsync(() => ApplyAsync(change)));
        // Stale marks and per-minute rates change with time alone. One delegate for every tick:
        // a thousand open dashboards would otherwise make a thousand a second.
        Action refresh = RefreshCards;
        ticks = Clock.Subscribe(() => _ = InvokeAsync(refresh));
    }

    private async Task AddSensorAsync(string id)
    {
        var info = await Store.GetSensorAsync(id, CancellationToken.None) ?? new SensorInfo(id, null, null, 0, null, null);
        histories[id] = await RecentAsync(id);
        sensors = [.. sensors.Append(info).OrderBy(s => s.Id, StringComparer.Ordinal)];
        StateHasChanged();
    }

    private async Task ApplyAsync(SensorChange change)
    {
        switch (change.Kind)
        {
            case SensorChangeKind.Described when change.Info is { } described:
                sensors = [.. sensors.Select(s => s.Id == described.Id ? described : s)];
                break;
            case SensorChangeKind.Deleted:
                Forget(change.Sensor);
                break;
            case SensorChangeKind.Renamed when change.RenamedTo is { } renamedTo:
                Forget(change.Sensor);
                await ReloadAsync(renamedTo);
                return;
            case SensorChangeKind.HistoryChanged:
                await ReloadAsync(change.Sensor);
                return;
        }
        StateHasChanged();
    }

    private void Forget(string id)
    {
        lock (gate)
        {
            known.Remove(id);
        }
        sensors = [.. sensors.Where(s => s.Id != id)];
        histories.Remove(id);
        cards.Remove(id);
    }

    /// <summary>Shows the sensor as the store has it now, with a new card (its history changed), adding it if it is new here.</summary>
    private async Task ReloadAsync(string id)
    {
        lock (gate)
        {
            known.Add(id);
        }
        if (await Store.GetSensorAsync(id, CancellationToken.None) is not { } info)
        {
            return;
        }
        histories[id] = await RecentAsync(id);
        generations[id] = generations.GetValueOrDefault(id) + 1;
        sensors = [.. sensors.Where(s => s.Id != id).Append(info).OrderBy(s => s.Id, StringComparer.Ordinal)];
        StateHasChanged();
    }

    private void RefreshCards()
    {
        foreach (var card in cards.Values)
        {
            card.Refresh();
        }
    }

    private async Task<CardHistory> RecentAsync(string sensor)
    {
        var newest = new List<Reading>(CardPoints);
        await foreach (var reading in Store.QueryAsync(sensor, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, CardPoints, newestFirst: true, CancellationToken.None))
        {
            newest.Add(reading);
        }
        newest.Reverse();
        return CardHistory.From(newest);
    }

    public void Dispose()
    {
        ticks?.Dispose();
        newSensors?.Dispose();
        sensorChanges?.Dispose();
    }
}
