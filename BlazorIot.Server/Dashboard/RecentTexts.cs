namespace BlazorIot.Server.Dashboard;

/// <summary>
/// The texts made for the most recent inputs, shared by every caller: a reading's value and time
/// are formatted once for all the dashboards that show it, not once per open dashboard.
/// </summary>
/// <remarks>
/// A thousand dashboards each made their own copy of the same six strings per reading, and each
/// copy lived until the next reading, long enough for a collection to copy it to an older
/// generation. A fixed table, a slot per hash: a newer input takes its slot, so it never grows.
/// </remarks>
internal sealed class RecentTexts<TKey>(int slots = 256) where TKey : struct, IEquatable<TKey>
{
    private readonly Entry?[] entries = new Entry?[slots];

    /// <param name="context">What else the text depends on (a culture, a time zone), compared by reference.</param>
    public string Get<TContext>(TKey key, TContext context, Func<TKey, TContext, string> make) where TContext : class
    {
        ref var slot = ref entries[(uint)key.GetHashCode() % (uint)entries.Length];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && entry.Key.Equals(key) && ReferenceEquals(entry.Context, context))
        {
            return entry.Text;
        }
        var text = make(key, context);
        Volatile.Write(ref slot, new Entry(key, context, text));
        return text;
    }

    private sealed record Entry(TKey Key, object Context, string Text);
}
