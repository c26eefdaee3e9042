namespace BlazorIot.Server.Dashboard;

/// <summary>The newest <c>capacity</c> values a card shows, for their min, max and average.</summary>
/// <remarks>
/// Only the numbers, in a ring: the card on every open dashboard used to keep a list of its last
/// readings, shifted down by one on each new one, and with it every reading it showed.
/// </remarks>
internal sealed class ValueWindow
{
    private readonly double[] values;
    private int oldest;

    public ValueWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        values = new double[capacity];
    }

    public int Count { get; private set; }

    public void Add(double value)
    {
        if (Count == values.Length)
        {
            values[oldest] = value;
            oldest = (oldest + 1) % values.Length;
            return;
        }
        values[(oldest + Count) % values.Length] = value;
        Count++;
    }

    /// <summary>Min, max and average of the values held; null when there are none.</summary>
    public (double Min, double Max, double Average)? Summary()
    {
        if (Count == 0)
        {
            return null;
        }
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        for (var i = 0; i < Count; i++)
        {
            var value = values[(oldest + i) % values.Length];
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            sum += value;
        }
        return (min, max, sum / Count);
    }
}
