namespace BlazorIot.Server.Import;

/// <summary>
/// Where each value is in a row of an imported file: named by a header line (our own export's
/// <c>seq,sensor,timestamp,value,received,id</c>, or any of those columns in any order), or, without
/// a header, <c>timestamp,value[,id]</c> by position.
/// </summary>
public sealed class ImportColumns
{
    private const int None = -1;

    /// <summary>Columns a header may name; <c>seq</c> and <c>sensor</c> are read past (the route names the sensor, the store gives ids).</summary>
    private static readonly string[] Known = ["timestamp", "value", "id", "received", "seq", "sensor"];

    /// <summary>A file without a header: <c>timestamp,value</c> or <c>timestamp,value,id</c>.</summary>
    public static readonly ImportColumns Positional = new(timestamp: 0, value: 1, id: 2, received: None, fields: null);

    private ImportColumns(int timestamp, int value, int id, int received, int? fields)
    {
        Timestamp = timestamp;
        Value = value;
        Id = id;
        Received = received;
        Fields = fields;
    }

    public int Timestamp { get; }

    public int Value { get; }

    /// <summary>The device id's field, or -1; positional rows may leave it out.</summary>
    public int Id { get; }

    /// <summary>The receive time's field, or -1.</summary>
    public int Received { get; }

    /// <summary>How many fields every row has (the header's count); null for positional rows (2 or 3).</summary>
    public int? Fields { get; }

    /// <summary>
    /// Whether a file's first line is a header: its first field starts with a letter, which no
    /// timestamp does (ISO 8601 starts with the year, Unix time with a digit or a sign).
    /// </summary>
    public static bool IsHeader(ReadOnlySpan<char> firstField) => firstField.Length > 0 && char.IsAsciiLetter(firstField[0]);

    /// <summary>Reads a header line's fields; null with the reason when it cannot be used.</summary>
    public static ImportColumns? FromHeader(ReadOnlySpan<char> text, ReadOnlySpan<Range> fields, out string? error)
    {
        Span<int> found = stackalloc int[Known.Length];
        found.Fill(None);
        for (var i = 0; i < fields.Length; i++)
        {
            var name = text[fields[i]];
            var known = IndexOf(name);
            if (known < 0)
            {
                error = $"Unknown column '{Shown(name)}': a header names timestamp and value, and may name id and received (seq and sensor are read past).";
                return null;
            }
            if (found[known] != None)
            {
                error = $"The column '{Known[known]}' is named twice.";
                return null;
            }
            found[known] = i;
        }
        if (found[0] == None || found[1] == None)
        {
            error = $"The header has no '{(found[0] == None ? "timestamp" : "value")}' column: a file needs timestamp and value.";
            return null;
        }
        error = null;
        return new ImportColumns(found[0], found[1], found[2], found[3], fields.Length);
    }

    /// <summary>A field's text as an error message quotes it: at most 40 characters.</summary>
    public static string Shown(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");

    private static int IndexOf(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Known.Length; i++)
        {
            if (name.Equals(Known[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return None;
    }
}
