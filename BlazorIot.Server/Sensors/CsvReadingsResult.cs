using System.Buffers;
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
            CsvRow.Write(writer, reading);
            if (writer.UnflushedBytes >= 32 * 1024 && (await writer.FlushAsync(token)).IsCompleted)
            {
                return;
            }
        }
        await writer.FlushAsync(token);
    }
}
