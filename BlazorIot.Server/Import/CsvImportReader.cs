using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace BlazorIot.Server.Import;

/// <summary>
/// Reads an imported CSV file as it arrives, line by line, checks every row, and spools the valid
/// ones (<see cref="ImportSpool"/>) until the first bad line; after that it only goes on counting
/// bad lines. Memory stays that of one line, whatever the file's size. A UTF-8 byte order mark is
/// skipped; lines end with LF or CRLF, mixed as they come; blank lines are skipped; a line's number
/// is its place in the file as an editor shows it.
/// </summary>
public sealed class CsvImportReader
{
    /// <summary>The longest line read: our export's longest row is 181 bytes.</summary>
    public const int MaxLineBytes = 4096;

    private static readonly string TooLong = $"The line is longer than {MaxLineBytes} bytes.";

    private readonly ImportSpool spool;
    private readonly DateTimeOffset now;
    private readonly ImportWindow kept;
    private readonly long received;
    private readonly ImportFileCheck check = new();
    private readonly byte[] lineBytes = new byte[MaxLineBytes];
    private readonly char[] lineChars = new char[MaxLineBytes];
    private readonly char[] fieldText = new char[MaxLineBytes];
    private readonly Range[] fields = new Range[CsvFields.Max];
    private ImportColumns? columns;
    private bool headerUnusable;
    private bool skippingLongLine;
    private long line;

    private CsvImportReader(ImportSpool spool, DateTimeOffset now, ImportWindow kept)
    {
        this.spool = spool;
        this.now = now;
        this.kept = kept;
        received = now.ToUnixTimeMilliseconds();
    }

    /// <param name="now">The import's time: the receive time of rows that give none, and what timestamps may not be a day ahead of.</param>
    /// <param name="kept">How far back the store keeps readings: an older row would be removed by retention at once.</param>
    /// <param name="maxBytes">Reading stops past this many bytes (<see cref="ImportFileCheck.TooLarge"/>).</param>
    public static async Task<ImportFileCheck> ReadAsync(PipeReader body, ImportSpool spool, DateTimeOffset now, ImportWindow kept, long maxBytes, CancellationToken cancellationToken)
    {
        var reader = new CsvImportReader(spool, now, kept);
        long consumed = 0;
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var position = reader.Consume(buffer, result.IsCompleted);
            consumed += buffer.Slice(0, position).Length;
            body.AdvanceTo(position, buffer.End);
            if (consumed > maxBytes)
            {
                reader.check.TooLarge = true;
                break;
            }
            if (result.IsCompleted)
            {
                break;
            }
        }
        return reader.check;
    }

    /// <summary>Takes every whole line of <paramref name="buffer"/> (and, at the end of the body, the last line without its LF); returns how far it read.</summary>
    private SequencePosition Consume(ReadOnlySequence<byte> buffer, bool final)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            if (skippingLongLine)
            {
                if (!reader.TryAdvanceTo((byte)'\n'))
                {
                    reader.AdvanceToEnd();
                    break;
                }
                skippingLongLine = false;
                continue;
            }
            if (reader.TryReadTo(out ReadOnlySequence<byte> text, (byte)'\n'))
            {
                line++;
                Take(text);
                continue;
            }
            if (reader.Remaining > MaxLineBytes)
            {
                // Its end has not arrived yet, and is not waited for: the rest of it is read past.
                line++;
                check.Bad(line, TooLong);
                skippingLongLine = true;
                reader.AdvanceToEnd();
                break;
            }
            if (final && reader.Remaining > 0)
            {
                line++;
                Take(reader.UnreadSequence);
                reader.AdvanceToEnd();
            }
            break;
        }
        return reader.Position;
    }

    private void Take(ReadOnlySequence<byte> text)
    {
        if (text.Length > MaxLineBytes)
        {
            check.Bad(line, TooLong);
            return;
        }
        var bytes = text.IsSingleSegment ? text.FirstSpan : Copy(text);
        if (line == 1 && bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }
        if (bytes is [.., (byte)'\r'])
        {
            bytes = bytes[..^1];
        }
        var chars = lineChars.AsSpan(0, Encoding.UTF8.GetChars(bytes, lineChars));
        if (chars.IsWhiteSpace() || headerUnusable)
        {
            return;
        }
        if (CsvFields.Split(chars, fieldText, fields, out var count) is { } splitError)
        {
            check.Bad(line, splitError);
            return;
        }
        ReadOnlySpan<char> values = fieldText;
        ReadOnlySpan<Range> parts = fields.AsSpan(0, count);
        if (columns is null)
        {
            if (ImportColumns.IsHeader(values[parts[0]]))
            {
                columns = ImportColumns.FromHeader(values, parts, out var headerError);
                check.HasHeader = true;
                if (columns is null)
                {
                    // Without its columns no row can be read: the header is the one bad line.
                    headerUnusable = true;
                    check.Bad(line, headerError!);
                }
                return;
            }
            columns = ImportColumns.Positional;
        }
        if (ImportRowParser.Parse(columns, values, parts, now, kept, received, out var row) is { } rowError)
        {
            check.Bad(line, rowError);
            return;
        }
        check.Good();
        // After a bad line nothing will be stored: the rest is only checked.
        if (check.BadLineCount == 0)
        {
            spool.Add(row);
        }
    }

    private ReadOnlySpan<byte> Copy(ReadOnlySequence<byte> text)
    {
        text.CopyTo(lineBytes);
        return lineBytes.AsSpan(0, (int)text.Length);
    }
}
