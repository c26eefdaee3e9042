namespace BlazorIot.Bench.Load;

/// <summary>Which reading indexes one subscriber has seen; pages are allocated only where readings land.</summary>
internal sealed class PagedBitSet
{
    private const int PageBits = 1 << 16;
    private readonly ulong[]?[] pages;

    public PagedBitSet(long capacity)
    {
        pages = new ulong[]?[(capacity + PageBits - 1) / PageBits];
        // Every run's readings start at index 0: its page is taken before the measured part, so the
        // first burst of thousands of subscribers does not allocate (and collect) in the generator.
        if (pages.Length > 0)
        {
            pages[0] = new ulong[PageBits / 64];
        }
    }

    /// <summary>Sets bit <paramref name="index"/>; false when it was already set.</summary>
    public bool Add(long index)
    {
        var page = pages[index / PageBits] ??= new ulong[PageBits / 64];
        var bit = index % PageBits;
        var mask = 1UL << (int)(bit % 64);
        ref var word = ref page[bit / 64];
        if ((word & mask) != 0)
        {
            return false;
        }
        word |= mask;
        return true;
    }
}
