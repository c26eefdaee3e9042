using System.Threading.Channels;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Storage;

/// <summary>
/// The bounded queue between ingest requests and a group-commit writer: requests wait here while
/// the writer commits the group before them, and the writer takes every request waiting, up to
/// <see cref="StorageOptions.MaxCommitReadings"/> readings, as its next group.
/// </summary>
internal sealed class CommitQueue(StorageOptions options)
{
    private readonly Channel<PendingWrite> channel = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.MaxPendingWrites)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Queues the readings and waits for the writer's answer.</summary>
    public async Task<IngestResult> WriteAsync(IReadOnlyList<NewReading> readings, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(readings);
        try
        {
            await channel.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new StoreUnavailableException("The server is stopping; nothing of this request was stored. Send it again once the server is back.");
        }
        // Once queued the readings will be committed; cancelling only stops waiting for the answer.
        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>False once the queue is closed and empty.</summary>
    public ValueTask<bool> WaitToReadAsync() => channel.Reader.WaitToReadAsync();

    /// <summary>Replaces <paramref name="group"/> with the requests waiting now.</summary>
    public void TakeGroup(List<PendingWrite> group)
    {
        group.Clear();
        var readings = 0;
        while (readings < options.MaxCommitReadings && channel.Reader.TryRead(out var pending))
        {
            group.Add(pending);
            readings += pending.Readings.Count;
        }
    }

    /// <summary>Takes no new requests; those already queued are still read.</summary>
    public void Complete() => channel.Writer.TryComplete();

    /// <summary>Answers every request of a group whose commit failed: none of its readings was stored.</summary>
    public static void Fail(IEnumerable<PendingWrite> group, Exception exception) =>
        Refuse(group, new StoreUnavailableException("Nothing of this request was stored; send it again.", exception));

    /// <summary>Answers every request of a group with <paramref name="failure"/>, whose message tells the client what became of its readings.</summary>
    public static void Refuse(IEnumerable<PendingWrite> group, StoreUnavailableException failure)
    {
        foreach (var pending in group)
        {
            pending.Completion.TrySetException(failure);
        }
    }
}
