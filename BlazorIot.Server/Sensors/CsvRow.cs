using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Sensors;

/// <summary>One reading as a CSV row, <c>seq,sensor,timestamp,value,received,id\n</c>, written straight into the response's buffer.</summary>
public static class CsvRow
{
    /// <summary>
    /// The longest row: 20-character numbers (a sign and 19 digits), a 64-character sensor id,
    /// two 24-character timestamps, a 24-character round-trip double, five commas and a newline.
    /// </summary>
    public const int MaxBytes = 20 + 1 + SensorId.MaxLength + 1 + 24 + 1 + 24 + 1 + 24 + 1 + 20 + 1;

    public static void Write(IBufferWriter<byte> writer, Reading reading)
    {
        // Sensor ids are [a-z0-9._-], so no field ever needs quoting.
        var span = writer.GetSpan(MaxBytes);
        var written = 0;
        Check(Utf8Formatter.TryFormat(reading.Sequence, span, out var n));
        written += n;
        span[written++] = (byte)',';
        written += Encoding.ASCII.GetBytes(reading.Sensor, span[written..]);
        span[written++] = (byte)',';
        Check(reading.Timestamp.UtcDateTime.TryFormat(span[written..], out n, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        written += n;
        span[written++] = (byte)',';
        Check(reading.Value.TryFormat(span[written..], out n, "R", CultureInfo.InvariantCulture));
        written += n;
        span[written++] = (byte)',';
        Check(reading.Received.UtcDateTime.TryFormat(span[written..], out n, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        written += n;
        span[written++] = (byte)',';
        if (reading.DeviceId is { } id)
        {
            Check(Utf8Formatter.TryFormat(id, span[written..], out n));
            written += n;
        }
        span[written++] = (byte)'\n';
        writer.Advance(written);
    }

    // MaxBytes covers every field's longest form: a field that did not fit is a bug, never a short row.
    private static void Check(bool formatted)
    {
        if (!formatted)
        {
            throw new InvalidOperationException($"A CSV field did not fit in {MaxBytes} bytes.");
        }
    }
}
