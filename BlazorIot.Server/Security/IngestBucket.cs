namespace BlazorIot.Server.Security;

/// <summary>One device's or address's tokens: <c>limit</c> at most, refilled by <see cref="IngestBuckets"/> each second.</summary>
internal sealed class IngestBucket(int limit)
{
    private readonly int limit = limit;
    private int tokens = limit;

    public bool IsFull => Volatile.Read(ref tokens) >= limit;

    public bool TryTake(int count)
    {
        while (true)
        {
            var now = Volatile.Read(ref tokens);
            if (now < count)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref tokens, now - count, now) == now)
            {
                return true;
            }
        }
    }

    public void Refill(int count)
    {
        while (true)
        {
            var now = Volatile.Read(ref tokens);
            if (Interlocked.CompareExchange(ref tokens, Math.Min(limit, now + count), now) == now)
            {
                return;
            }
        }
    }
}
