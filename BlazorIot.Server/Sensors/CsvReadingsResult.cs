using System.Buffers;
using System.Buffers.Text;
using System.Text;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Sensors;

/// <summary>
/// Readings as CSV (<c>seq,sensor,timestamp,value,received,id</c>), written row by row as the store
/// reads them and flushed in chunks, so an export of any size runs in flat memory.
/// </summary>
public sealed class CsvReadingsResult(IAsyncEnumerable<Reading> readings, string fileName) : IResult
{
    private static readonly byte[] Header = "seq,sensor,timestamp,value,received,id\n"u8.ToArray();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var writer = response.BodyWriter;
        var token = httpContext.RequestAborted;
        writer.Write(Header);
        await foreach (var reading in readings.WithCancellation(token))
        {
            WriteRow(writer, reading);
            if (writer.UnflushedBytes >= 32 * 1024 && (await writer.FlushAsync(token)).IsCompleted)
            {
                return;
            }
        }
        await writer.FlushAsync(token);
    }

    private static void WriteRow(System.IO.Pipelines.PipeWriter writer, Reading reading)
    {
        // Sensor ids are [a-z0-9._-], so no field ever needs quoting.
        var span = writer.GetSpan(160);
        var written = 0;
        Utf8Formatter.TryFormat(reading.Sequence, span, out var n);
        written += n;
        span[written++] = (byte)',';
        written += Encoding.ASCII.GetBytes(reading.Sensor, span[written..]);
        span[written++] = (byte)',';
        reading.Timestamp.UtcDateTime.TryFormat(span[written..], out n, "yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        written += n;
        span[written++] = (byte)',';
        reading.Value.TryFormat(span[written..], out n, "R", System.Globalization.CultureInfo.InvariantCulture);
        written += n;
        span[written++] = (byte)',';
        reading.Received.UtcDateTime.TryFormat(span[written..], out n, "yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        written += n;
        span[written++] = (byte)',';
        if (reading.DeviceId is { } id)
        {
            Utf8Formatter.TryFormat(id, span[written..], out n);
            written += n;
        }
        span[written++] = (byte)'\n';
        writer.Advance(written);
    }
}
