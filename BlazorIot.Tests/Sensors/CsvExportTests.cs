using BlazorIot.Server.Storage;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Sensors;

[Collection(IsolatedCollection.Name)]
public sealed class CsvExportTests
{
    private const int Rows = 1_000_000;

    [Fact]
    public async Task Exports_a_million_rows_as_csv_in_flat_server_memory()
    {
        await using var server = LiveServer.Start();
        await SeedAsync(server.Services.GetRequiredService<SqliteDatabase>());
        using var client = server.CreateNetworkClient();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;

        using var response = await client.GetAsync("/api/sensors/bulk/readings?format=csv", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var header = await reader.ReadLineAsync();
        string? first = null, last = null, line;
        var count = 0;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            first ??= line;
            last = line;
            if (++count % 100_000 == 0)
            {
                // Live memory (after a full collection), while the export is in flight.
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        Assert.Equal("seq,sensor,timestamp,value,received,id", header);
        Assert.Equal(Rows, count);
        Assert.StartsWith("1,bulk,2026-01-01T00:00:00.000Z,0,", first);
        Assert.StartsWith($"{Rows},bulk,", last);
        Assert.True(peak < 24 * 1024 * 1024, $"Server and client together held {peak / 1024 / 1024} MB more while exporting {Rows} rows.");
    }

    [Fact]
    public async Task Rows_of_the_longest_kind_are_exported_whole()
    {
        // A 64-character id, 19-digit sequence numbers, the longest round-trip double and a 20-character device id: 181 bytes a row.
        var sensor = "w" + new string('x', 63);
        const long FirstSeq = 9_223_372_036_854_770_000;
        const int Count = 3_000;
        await using var server = LiveServer.Start();
        var database = server.Services.GetRequiredService<SqliteDatabase>();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        await using (var transaction = connection.BeginTransaction())
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO readings (seq, sensor, value, ts, received, device_id) VALUES ($seq, $sensor, -1.7976931348623157E+308, $ts, $ts, $id);";
            var seq = insert.Parameters.Add("$seq", Microsoft.Data.Sqlite.SqliteType.Integer);
            insert.Parameters.AddWithValue("$sensor", sensor);
            var ts = insert.Parameters.Add("$ts", Microsoft.Data.Sqlite.SqliteType.Integer);
            var id = insert.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Integer);
            for (var i = 0; i < Count; i++)
            {
                seq.Value = FirstSeq + i;
                ts.Value = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() + (i * 1000L);
                id.Value = long.MinValue + i;
                insert.ExecuteNonQuery();
            }
            await using var known = connection.CreateCommand();
            known.Transaction = transaction;
            known.CommandText = $"INSERT INTO sensors (id, created, reading_count) VALUES ('{sensor}', 0, {Count});";
            known.ExecuteNonQuery();
            transaction.Commit();
        }
        using var client = server.CreateNetworkClient();

        var lines = (await client.GetStringAsync($"/api/sensors/{sensor}/readings?format=csv&limit={Count}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(Count + 1, lines.Length);
        var last = $"{FirstSeq + Count - 1},{sensor},2026-01-01T00:49:59.000Z,-1.7976931348623157E+308,2026-01-01T00:49:59.000Z,{long.MinValue + Count - 1}";
        Assert.Equal(181, last.Length + 1);
        Assert.Equal(last, lines[^1]);
        Assert.All(lines.Skip(1), line => Assert.Equal(180, line.Length));
    }

    private static async Task SeedAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO readings (sensor, value, ts, received) VALUES ('bulk', $value, $ts, $ts);";
        var value = insert.Parameters.Add("$value", Microsoft.Data.Sqlite.SqliteType.Real);
        var ts = insert.Parameters.Add("$ts", Microsoft.Data.Sqlite.SqliteType.Integer);
        insert.Prepare();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (var i = 0; i < Rows; i++)
        {
            value.Value = i % 1000;
            ts.Value = start + (i * 1000L);
            insert.ExecuteNonQuery();
        }
        await using var sensor = connection.CreateCommand();
        sensor.Transaction = transaction;
        sensor.CommandText = $"INSERT INTO sensors (id, created, reading_count) VALUES ('bulk', {start}, {Rows});";
        sensor.ExecuteNonQuery();
        await transaction.CommitAsync();
    }
}
