namespace BlazorIot.Server.Storage;

/// <summary>
/// Turns at SQLite's one write lock between the group commit and bulk writers (an import's batches, background removals, renames).
/// SQLite's busy wait is not fair: a bulk writer that begins its next transaction as soon as it has
/// committed the last finds the lock free every time, while the group commit sleeps in its busy
/// handler, so ingest could wait for a whole import. Here a waiting commit always goes before the
/// next bulk batch, and a waiting bulk batch goes right after the commit in progress: under both
/// loads they alternate, so ingest waits at most one batch and an import still moves on.
/// </summary>
public sealed class SqliteWriteTurns
{
    private readonly Lock gate = new();
    private readonly List<TaskCompletionSource> bulkWaiting = [];
    private readonly SemaphoreSlim bulkDone = new(0);
    private int commitsWaiting;
    private bool commitInside;
    private bool bulkInside;

    /// <summary>Whether the group commit waits for its turn (for tests).</summary>
    internal bool CommitWaiting
    {
        get
        {
            lock (gate)
            {
                return commitsWaiting > 0;
            }
        }
    }

    /// <summary>How many bulk batches wait for their turn (for tests).</summary>
    internal int BulkWaiting
    {
        get
        {
            lock (gate)
            {
                return bulkWaiting.Count;
            }
        }
    }

    /// <summary>The group commit's turn, taken on its own thread (which may block); end it with <see cref="ExitCommit"/>.</summary>
    public void EnterCommit()
    {
        while (true)
        {
            lock (gate)
            {
                if (!bulkInside)
                {
                    commitsWaiting = 0;
                    commitInside = true;
                    return;
                }
                commitsWaiting = 1;
            }
            bulkDone.Wait();
        }
    }

    public void ExitCommit()
    {
        TaskCompletionSource? next;
        lock (gate)
        {
            commitInside = false;
            next = HandToNextBulk();
        }
        next?.TrySetResult();
    }

    /// <summary>A bulk batch's turn; end it with <see cref="ExitBulk"/>.</summary>
    public async Task EnterBulkAsync(CancellationToken cancellationToken)
    {
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (!commitInside && commitsWaiting == 0 && !bulkInside)
            {
                bulkInside = true;
                return;
            }
            bulkWaiting.Add(turn);
        }
        try
        {
            await turn.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            bool handedOver;
            lock (gate)
            {
                handedOver = !bulkWaiting.Remove(turn);
            }
            if (handedOver)
            {
                ExitBulk();
            }
            throw;
        }
    }

    public void ExitBulk()
    {
        TaskCompletionSource? next = null;
        var wakeCommit = false;
        lock (gate)
        {
            bulkInside = false;
            if (commitsWaiting > 0)
            {
                wakeCommit = true;
            }
            else
            {
                next = HandToNextBulk();
            }
        }
        if (wakeCommit)
        {
            bulkDone.Release();
        }
        next?.TrySetResult();
    }

    // Under the gate: the turn passes straight to the longest-waiting batch, so the commit that
    // follows waits for it rather than taking the lock again first.
    private TaskCompletionSource? HandToNextBulk()
    {
        if (bulkWaiting.Count == 0)
        {
            return null;
        }
        var next = bulkWaiting[0];
        bulkWaiting.RemoveAt(0);
        bulkInside = true;
        return next;
    }
}
