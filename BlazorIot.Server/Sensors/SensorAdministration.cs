using BlazorIot.Server.Alerts;
using BlazorIot.Server.Live;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Sensors;

/// <summary>
/// Describing, renaming and deleting sensors, for the API and the dashboard alike: the store
/// changes first, in its own transaction; only after the commit do this instance's alert state and
/// live views follow, so nobody is told of a change a failure could take back.
/// </summary>
public sealed class SensorAdministration(
    ReadingStore store, AlertMonitor alerts, SensorHub hub, SensorRemovalSweeper removals, IOptions<LiveOptions> live, TimeProvider time)
{
    /// <summary>Replaces the sensor's name, unit, decimals and description (creating the sensor if needed).</summary>
    public async Task<SensorInfo> DescribeAsync(
        string id, string? name, string? unit, int? decimals, string? description, CancellationToken cancellationToken)
    {
        var sensor = await store.DescribeSensorAsync(id, name, unit, decimals, description, time.GetUtcNow(), cancellationToken);
        hub.Described(sensor);
        return sensor;
    }

    /// <summary>Renames (or, with <paramref name="merge"/>, merges) <paramref name="from"/> into <paramref name="to"/>.</summary>
    public async Task<SensorRename> RenameAsync(string from, string to, bool merge, CancellationToken cancellationToken)
    {
        await alerts.LoggedAsync(cancellationToken);
        var renamed = await store.RenameSensorAsync(from, to, merge, time.GetUtcNow(), cancellationToken);
        if (renamed is { Outcome: RenameOutcome.Renamed, Sensor: { } sensor })
        {
            // Past the commit: the rest must happen even if the caller has gone.
            var window = await NewestAsync(to, CancellationToken.None);
            await alerts.MovedAsync(from, to, CancellationToken.None);
            hub.Renamed(from, sensor, window);
        }
        return renamed;
    }

    /// <summary>Deletes the sensor; its readings are hidden at once and removed in the background. False when unknown.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await alerts.LoggedAsync(cancellationToken);
        if (!await store.DeleteSensorAsync(id, cancellationToken))
        {
            return false;
        }
        alerts.Forget(id);
        hub.Deleted(id);
        removals.Wake();
        return true;
    }

    /// <summary>The sensor's newest stored readings, oldest first, as many as a live window holds.</summary>
    private async Task<IReadOnlyList<Reading>> NewestAsync(string sensor, CancellationToken cancellationToken)
    {
        var newest = new List<Reading>();
        await foreach (var reading in store.QueryAsync(sensor, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, live.Value.WindowSize, newestFirst: true, cancellationToken))
        {
            newest.Add(reading);
        }
        newest.Reverse();
        return newest;
    }
}
