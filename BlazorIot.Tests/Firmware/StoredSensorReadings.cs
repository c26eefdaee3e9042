using System.Net.Http.Json;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Firmware;

/// <summary>What a server stored for a <see cref="CountingSensor"/>, read back over the network.</summary>
internal static class StoredSensorReadings
{
    /// <summary>Checks that the values 1…<paramref name="sampled"/> arrived once each (distinct device ids), in order, with device timestamps one period apart.</summary>
    public static async Task<Reading[]> AssertEachArrivedOnceInOrderAsync(LiveServer server, string sensor, long sampled, TimeSpan period)
    {
        using var client = server.CreateNetworkClient();
        var stored = (await client.GetFromJsonAsync<Reading[]>($"/api/sensors/{sensor}/readings?limit=1000"))!;
        Assert.Equal(Enumerable.Range(1, (int)sampled).Select(i => (double)i), stored.Select(r => r.Value));
        Assert.All(stored, r => Assert.NotNull(r.DeviceId));
        Assert.Equal(stored.Length, stored.Select(r => r.DeviceId).Distinct().Count());
        // Device timestamps, one period apart, though many were sent late in one catch-up.
        Assert.All(stored.Zip(stored.Skip(1)), pair => Assert.Equal(period, pair.Second.Timestamp - pair.First.Timestamp));
        return stored;
    }
}
