namespace BlazorIot.Shared.Charts;

/// <summary>
/// The points one series of a <see cref="LineChart"/> holds, as its JS module keeps them: time
/// order, all the points it was given at first, then the newest <c>capacity</c> once more arrive. It keeps the lowest and highest value as points come and
/// go, so describing the series costs a scan only after an extreme has left the window.
/// </summary>
internal sealed class LineChartWindow
{
    private readonly Queue<ChartPoint> points = new();
    private readonly int capacity;
    private ChartPoint last;
    private double min = double.PositiveInfinity;
    private double max = double.NegativeInfinity;
    private bool extremesStale;

    public LineChartWindow(string label, bool secondAxis, int capacity, IReadOnlyList<ChartPoint> initial)
    {
        Label = label;
        SecondAxis = secondAxis;
        this.capacity = capacity;
        Enqueue(initial);
    }

    public string Label { get; set; }

    public bool SecondAxis { get; }

    public int Count => points.Count;

    public ChartPoint First => points.Peek();

    public ChartPoint Last => last;

    public double Min
    {
        get
        {
            RescanIfStale();
            return min;
        }
    }

    public double Max
    {
        get
        {
            RescanIfStale();
            return max;
        }
    }

    public void Add(IReadOnlyList<ChartPoint> added)
    {
        var late = false;
        for (var i = 0; i < added.Count && !late; i++)
        {
            late = (points.Count > 0 || i > 0) && added[i].X < (i == 0 ? last.X : added[i - 1].X);
        }
        if (late)
        {
            // Rare (a device's clock behind the others'): the module sorts, and so does this copy.
            var all = new List<ChartPoint>(points.Count + added.Count);
            all.AddRange(points);
            all.AddRange(added);
            // Stable, as the browser's sort: equal times keep their arrival order.
            var sorted = all.Select((point, index) => (point, index)).OrderBy(p => p.point.X).ThenBy(p => p.index).Select(p => p.point).ToList();
            Clear();
            Enqueue(sorted);
        }
        else
        {
            Enqueue(added);
        }
        while (points.Count > capacity)
        {
            var dropped = points.Dequeue();
            extremesStale |= dropped.Y <= min || dropped.Y >= max;
        }
    }

    private void Enqueue(IReadOnlyList<ChartPoint> added)
    {
        foreach (var point in added)
        {
            points.Enqueue(point);
            last = point;
            min = Math.Min(min, point.Y);
            max = Math.Max(max, point.Y);
        }
    }

    private void Clear()
    {
        points.Clear();
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        extremesStale = false;
    }

    private void RescanIfStale()
    {
        if (!extremesStale)
        {
            return;
        }
        extremesStale = false;
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        foreach (var point in points)
        {
            min = Math.Min(min, point.Y);
            max = Math.Max(max, point.Y);
        }
    }
}
