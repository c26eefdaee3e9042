using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Live;

/// <summary>A fixed-capacity ring of the newest readings of one sensor. Not thread-safe: the hub guards it.</summary>
internal sealed class SensorWindow(int capacity)
{
    private readonly Reading[] ring = new Reading[capacity];
    private int start;

    public int Count { get; private set; }

    public Reading? Newest => Count == 0 ? null : ring[(start + Count - 1) % ring.Length];

    public void Add(Reading reading)
    {
        if (Count < ring.Length)
        {
            ring[(start + Count) % ring.Length] = reading;
            Count++;
        }
        else
        {
            ring[start] = reading;
            start = (start + 1) % ring.Length;
        }
    }

    public void Clear()
    {
        Array.Clear(ring);
        start = 0;
        Count = 0;
    }

    /// <summary>The readings, oldest first.</summary>
    public Reading[] ToArray()
    {
        var copy = new Reading[Count];
        for (var i = 0; i < Count; i++)
        {
            copy[i] = ring[(start + i) % ring.Length];
        }
        return copy;
    }
}
