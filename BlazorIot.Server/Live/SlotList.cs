namespace BlazorIot.Server.Live;

/// <summary>An item that remembers where it sits in its <see cref="SlotList{T}"/>, so removal is O(1).</summary>
internal interface ISlotted
{
    int Slot { get; set; }
}

/// <summary>
/// Subscribers of one kind, kept in an array for fast iteration at publish time, with O(1) add
/// and remove (the last item moves into the freed slot). Thousands of streams connect and leave
/// at once; copying an array on each would be quadratic. Not thread-safe: the hub guards it, and
/// no item leaves while the hub iterates (frame subscribers leave from their own threads).
/// </summary>
internal sealed class SlotList<T>
    where T : class, ISlotted
{
    private T[] items = [];

    public int Count { get; private set; }

    public ReadOnlySpan<T> Items => items.AsSpan(0, Count);

    public void Add(T item)
    {
        if (Count == items.Length)
        {
            Array.Resize(ref items, Math.Max(4, Count * 2));
        }
        item.Slot = Count;
        items[Count++] = item;
    }

    public void Remove(T item)
    {
        var slot = item.Slot;
        if (slot < 0 || slot >= Count || !ReferenceEquals(items[slot], item))
        {
            return;
        }
        var last = items[--Count];
        items[slot] = last;
        last.Slot = slot;
        items[Count] = null!;
        item.Slot = -1;
        if (Count < items.Length / 4 && items.Length > 16)
        {
            Array.Resize(ref items, items.Length / 2);
        }
    }
}
