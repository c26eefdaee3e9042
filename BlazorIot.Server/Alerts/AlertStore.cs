using System.Data.Common;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Alerts;

/// <summary>Thresholds and the alert log, kept where the readings are (SQLite, or PostgreSQL shared by every instance).</summary>
public abstract class AlertStore
{
    /// <summary>Every sensor that has a low or high threshold.</summary>
    public abstract Task<Dictionary<string, Thresholds>> LoadThresholdsAsync(CancellationToken cancellationToken);

    public abstract Task<Thresholds> GetThresholdsAsync(string sensor, CancellationToken cancellationToken);

    public abstract Task SetThresholdsAsync(string sensor, Thresholds thresholds, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Logs an alert that started; returns its id. With several instances each one evaluates the
    /// same readings and opens the same alert: a sensor has at most one open alert in the log, and
    /// opening it again returns its id.
    /// </summary>
    public abstract Task<long> OpenAsync(Alert alert, CancellationToken cancellationToken);

    public abstract Task CloseAsync(long id, DateTimeOffset ended, double peak, CancellationToken cancellationToken);

    /// <summary>A sensor's alerts, newest first (all sensors when null).</summary>
    public abstract Task<IReadOnlyList<Alert>> ListAsync(string? sensor, int limit, bool openOnly, CancellationToken cancellationToken);

    /// <summary>Alerts from rows of (id, sensor, kind, threshold, started, ended, peak).</summary>
    protected static async Task<IReadOnlyList<Alert>> ReadAlertsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var alerts = new List<Alert>();
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(new Alert(
                reader.GetInt64(0), reader.GetString(1), Enum.Parse<AlertKind>(reader.GetString(2)), reader.GetDouble(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.GetDouble(6)));
        }
        return alerts;
    }

    /// <summary>Thresholds from the columns (low, high, hysteresis) starting at <paramref name="first"/>.</summary>
    protected static Thresholds ReadThresholds(DbDataReader reader, int first) =>
        new(reader.IsDBNull(first) ? null : reader.GetDouble(first),
            reader.IsDBNull(first + 1) ? null : reader.GetDouble(first + 1),
            reader.GetDouble(first + 2));
}
