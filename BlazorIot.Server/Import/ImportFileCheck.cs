namespace BlazorIot.Server.Import;

/// <summary>What reading an imported file found: its valid rows, and its bad lines (the first <see cref="Listed"/> of them).</summary>
public sealed class ImportFileCheck
{
    /// <summary>How many bad lines an answer lists; the count covers them all.</summary>
    public const int Listed = 20;

    private readonly List<BadLine> badLines = [];

    /// <summary>Rows that passed every check.</summary>
    public long Rows { get; private set; }

    /// <summary>Whether the file started with a header line.</summary>
    public bool HasHeader { get; set; }

    public IReadOnlyList<BadLine> BadLines => badLines;

    public long BadLineCount { get; private set; }

    /// <summary>True once the body went past the size limit: reading stopped there.</summary>
    public bool TooLarge { get; set; }

    public void Good() => Rows++;

    public void Bad(long line, string error)
    {
        BadLineCount++;
        if (badLines.Count < Listed)
        {
            badLines.Add(new BadLine(line, error));
        }
    }
}
