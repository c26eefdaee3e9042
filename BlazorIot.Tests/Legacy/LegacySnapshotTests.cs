using System.Text;
using BlazorIot.Shared.Legacy;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Tests.Legacy;

public sealed class LegacySnapshotTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public void Encodes_the_original_message_with_local_time_labels_and_keys_in_order()
    {
        var start = new DateTimeOffset(2026, 11, 28, 17, 2, 1, TimeSpan.Zero);
        Reading[] window = [new(1, "luminosity", 412, start), new(2, "luminosity", -36, start.AddSeconds(3)), new(3, "luminosity", 12.5, start.AddSeconds(6))];

        var frame = Encoding.UTF8.GetString(LegacySnapshot.From(window, Paris).ToSseFrame());

        Assert.Equal("data: {\"labels\":[\"18:02:01\",\"18:02:04\",\"18:02:07\"],\"data\":[412,-36,12.5]}\n\n", frame);
    }

    [Fact]
    public void Takes_only_the_newest_ten_readings()
    {
        var start = new DateTimeOffset(2026, 11, 28, 17, 2, 1, TimeSpan.Zero);
        var window = Enumerable.Range(1, 25).Select(i => new Reading(i, "luminosity", i, start.AddSeconds(i))).ToArray();

        var snapshot = LegacySnapshot.From(window, TimeZoneInfo.Utc);

        Assert.Equal(Enumerable.Range(16, 10).Select(i => (double)i), snapshot.Data);
        Assert.Equal("17:02:17", snapshot.Labels[0]);
        Assert.Equal("{\"labels\":[],\"data\":[]}", LegacySnapshot.From([], TimeZoneInfo.Utc).ToJson());
    }
}
