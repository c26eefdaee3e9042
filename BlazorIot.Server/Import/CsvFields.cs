namespace BlazorIot.Server.Import;

/// <summary>
/// Splits one line of a CSV file into its fields, as RFC 4180 reads them: fields separated by
/// commas, a field in double quotes may hold commas, and <c>""</c> inside it is one quote. Spaces
/// around a field are not part of it. No column of an import holds a line break, so a quoted field
/// ends on its own line: an opening quote without its closing one is an error, not the start of a
/// field that swallows the rest of the file.
/// </summary>
public static class CsvFields
{
    /// <summary>The most fields a line may have: more than any header of an import names.</summary>
    public const int Max = 16;

    /// <summary>
    /// Writes the fields' text, unquoted, into <paramref name="text"/> (at least as long as
    /// <paramref name="line"/>) and where each is into <paramref name="fields"/>. Returns null, or why
    /// the line cannot be split.
    /// </summary>
    public static string? Split(ReadOnlySpan<char> line, Span<char> text, Span<Range> fields, out int count)
    {
        count = 0;
        var at = 0;
        var written = 0;
        while (true)
        {
            if (count == fields.Length)
            {
                return $"More than {fields.Length} fields.";
            }
            at = SkipBlanks(line, at);
            var start = written;
            if (at < line.Length && line[at] == '"')
            {
                at++;
                while (true)
                {
                    if (at == line.Length)
                    {
                        return "A quoted field is not closed: it needs its closing \" on the same line.";
                    }
                    var c = line[at++];
                    if (c == '"')
                    {
                        if (at < line.Length && line[at] == '"')
                        {
                            text[written++] = '"';
                            at++;
                            continue;
                        }
                        break;
                    }
                    text[written++] = c;
                }
                at = SkipBlanks(line, at);
                if (at < line.Length && line[at] != ',')
                {
                    return "Text after a quoted field's closing quote: a field is either quoted as a whole or not at all.";
                }
            }
            else
            {
                var comma = line[at..].IndexOf(',');
                var end = comma < 0 ? line.Length : at + comma;
                var field = line[at..end].TrimEnd(" \t");
                if (field.Contains('"'))
                {
                    return "A quote inside an unquoted field: quote the whole field (\"...\") and double each quote inside it.";
                }
                field.CopyTo(text[written..]);
                written += field.Length;
                at = end;
            }
            fields[count++] = start..written;
            if (at == line.Length)
            {
                return null;
            }
            // At a comma: another field follows, perhaps an empty one at the end of the line.
            at++;
        }
    }

    private static int SkipBlanks(ReadOnlySpan<char> line, int at)
    {
        while (at < line.Length && line[at] is ' ' or '\t')
        {
            at++;
        }
        return at;
    }
}
