namespace BlazorIot.Server.Import;

/// <summary>Rows of an import on their way into the store, column by column (as PostgreSQL's <c>unnest</c> takes them); reused batch after batch.</summary>
public sealed class ImportBatch(int capacity)
{
    public int Capacity { get; } = capacity;

    public int Count { get; set; }

    public long[] Timestamps { get; } = new long[capacity];

    public double[] Values { get; } = new double[capacity];

    public long[] Received { get; } = new long[capacity];

    public long?[] DeviceIds { get; } = new long?[capacity];
}
