using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace BlazorIot.Tests.Import;

/// <summary>
/// A CSV body written as it is sent, row by row, never held whole: <c>timestamp,value,id</c> with
/// Unix milliseconds a second apart from the start given, value <c>i % 1000</c>, id <c>i</c>.
/// </summary>
internal sealed class GeneratedCsv : HttpContent
{
    private readonly int rows;
    private readonly DateTimeOffset start;
    private readonly Func<int, Task>? everyHundredThousand;

    /// <param name="everyHundredThousand">Called after each 100,000 rows (with the count) before the next is written.</param>
    public GeneratedCsv(int rows, DateTimeOffset start, Func<int, Task>? everyHundredThousand = null)
    {
        this.rows = rows;
        this.start = start;
        this.everyHundredThousand = everyHundredThousand;
        Headers.ContentType = new MediaTypeHeaderValue("text/csv");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var text = new StringBuilder("timestamp,value,id\n");
        var first = start.ToUnixTimeMilliseconds();
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{first + (i * 1000L)},{i % 1000}.5,{i}\n");
            if (text.Length > 32 * 1024 || i == rows - 1)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()));
                text.Clear();
            }
            if ((i + 1) % 100_000 == 0 && everyHundredThousand is not null)
            {
                await stream.FlushAsync();
                await everyHundredThousand(i + 1);
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
