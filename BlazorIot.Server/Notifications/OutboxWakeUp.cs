namespace BlazorIot.Server.Notifications;

/// <summary>Wakes the dispatcher when a message is added, so a first alert goes at once rather than at the next due time.</summary>
public sealed class OutboxWakeUp
{
    private TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() => Volatile.Read(ref signal).TrySetResult();

    /// <summary>A task that completes at the next <see cref="Wake"/> after this call (take it before looking at the outbox, so no wake is missed).</summary>
    public Task Arm()
    {
        var current = Volatile.Read(ref signal);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
        return Volatile.Read(ref signal).Task;
    }
}
