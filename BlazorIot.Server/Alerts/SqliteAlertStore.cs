using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Alerts;

/// <summary>Thresholds (columns of <c>sensors</c>) and the alert log (<c>alerts</c>) in the SQLite store.</summary>
public sealed class SqliteAlertStore(SqliteDatabase database) : AlertStore
{
    public override async Task<Dictionary<string, Thresholds>> LoadThresholdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, threshold_low, threshold_high, hysteresis FROM sensors WHERE threshold_low IS NOT NULL OR threshold_high IS NOT NULL;";
        var thresholds = new Dictionary<string, Thresholds>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            thresholds[reader.GetString(0)] = ReadThresholds(reader, 1);
        }
        return thresholds;
    }

    public override async Task<Thresholds> GetThresholdsAsync(string sensor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT threshold_low, threshold_high, hysteresis FROM sensors WHERE id = $id;";
        command.Parameters.AddWithValue("$id", sensor);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadThresholds(reader, 0) : Thresholds.None;
    }

    public override async Task SetThresholdsAsync(string sensor, Thresholds thresholds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await database.InWriteTurnAsync(async () =>
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO sensors (id, created, threshold_low, threshold_high, hysteresis) VALUES ($id, $now, $low, $high, $hysteresis)
                ON CONFLICT (id) DO UPDATE SET threshold_low = excluded.threshold_low, threshold_high = excluded.threshold_high, hysteresis = excluded.hysteresis;
                """;
            command.Parameters.AddWithValue("$id", sensor);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$low", (object?)thresholds.Low ?? DBNull.Value);
            command.Parameters.AddWithValue("$high", (object?)thresholds.High ?? DBNull.Value);
            command.Parameters.AddWithValue("$hysteresis", thresholds.Hysteresis);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public override async Task<long> OpenAsync(Alert alert, CancellationToken cancellationToken)
    {
        return await database.InWriteTurnAsync(async () =>
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO alerts (sensor, kind, threshold, started, peak) VALUES ($sensor, $kind, $threshold, $started, $peak) RETURNING id;";
            command.Parameters.AddWithValue("$sensor", alert.Sensor);
            command.Parameters.AddWithValue("$kind", alert.Kind.ToString());
            command.Parameters.AddWithValue("$threshold", alert.Threshold);
            command.Parameters.AddWithValue("$started", alert.Started.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$peak", alert.Peak);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);
    }

    public override async Task CloseAsync(long id, DateTimeOffset ended, double peak, CancellationToken cancellationToken)
    {
        await database.InWriteTurnAsync(async () =>
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE alerts SET ended = $ended, peak = $peak WHERE id = $id;";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$ended", ended.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$peak", peak);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public override async Task<IReadOnlyList<Alert>> ListAsync(string? sensor, int limit, bool openOnly, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, sensor, kind, threshold, started, ended, peak FROM alerts
            WHERE ($sensor IS NULL OR sensor = $sensor) {(openOnly ? "AND ended IS NULL" : "")}
            ORDER BY started DESC, id DESC LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$sensor", (object?)sensor ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadAlertsAsync(reader, cancellationToken);
    }
}
