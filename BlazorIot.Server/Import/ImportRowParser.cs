using System.Globalization;
using BlazorIot.Server.Ingest;

namespace BlazorIot.Server.Import;

/// <summary>
/// Checks one row of an imported file by the rules the ingest API applies to a reading
/// (<see cref="ReadingFields"/>): a timestamp in ISO 8601 with an offset or Unix seconds or
/// milliseconds, between 2000 and a day ahead; a finite number written with a point; a device id
/// that is a whole number, 0 or more.
/// </summary>
public static class ImportRowParser
{
    /// <param name="kept">How far back the store keeps readings.</param>
    /// <param name="received">The receive time of rows that give none (the import's time), Unix ms.</param>
    /// <returns>Null, or why the row is not valid.</returns>
    public static string? Parse(
        ImportColumns columns, ReadOnlySpan<char> text, ReadOnlySpan<Range> fields, DateTimeOffset now, ImportWindow kept, long received, out ImportRow row)
    {
        row = default;
        if (columns.Fields is { } expected ? fields.Length != expected : fields.Length is < 2 or > 3)
        {
            return columns.Fields is { } header
                ? $"{fields.Length} fields; the header has {header}."
                : $"{fields.Length} field{(fields.Length == 1 ? "" : "s")}; a row without a header is timestamp,value or timestamp,value,id.";
        }

        var timestampText = text[fields[columns.Timestamp]];
        if (timestampText.IsEmpty)
        {
            return "The timestamp is empty.";
        }
        if (ReadingFields.ParseTimestamp(timestampText, now, out var timestamp) is { } timestampError)
        {
            return $"timestamp '{ImportColumns.Shown(timestampText)}': {timestampError}";
        }
        if (timestamp < kept.From)
        {
            return $"timestamp '{ImportColumns.Shown(timestampText)}' is older than the store keeps readings (Storage:Retention, {kept.Retention}): retention would remove it at once. Raise Storage:Retention to keep older history.";
        }

        var valueText = text[fields[columns.Value]];
        if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return $"value '{ImportColumns.Shown(valueText)}' is not a number: write it like 412.5 or -3 (a point for decimals).";
        }
        if (ReadingFields.CheckValue(value) is { } valueError)
        {
            return $"value '{ImportColumns.Shown(valueText)}': {valueError}";
        }

        long? deviceId = null;
        if (columns.Id >= 0 && columns.Id < fields.Length && text[fields[columns.Id]] is { IsEmpty: false } idText)
        {
            if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || ReadingFields.CheckDeviceId(id) is not null)
            {
                return $"id '{ImportColumns.Shown(idText)}': the id (the device's own sequence number) must be a whole number, 0 or more.";
            }
            deviceId = id;
        }

        if (columns.Received >= 0 && text[fields[columns.Received]] is { IsEmpty: false } receivedText)
        {
            if (ReadingFields.ParseTimestamp(receivedText, now, out var at) is { } receivedError)
            {
                return $"received '{ImportColumns.Shown(receivedText)}': {receivedError}";
            }
            received = at.ToUnixTimeMilliseconds();
        }

        row = new ImportRow(timestamp.ToUnixTimeMilliseconds(), value, received, deviceId);
        return null;
    }
}
