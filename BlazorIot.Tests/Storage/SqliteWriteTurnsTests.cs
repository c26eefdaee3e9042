using BlazorIot.Server.Storage;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Storage;

public sealed class SqliteWriteTurnsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_waiting_commit_goes_before_the_next_bulk_batch_and_the_batch_right_after_it()
    {
        var turns = new SqliteWriteTurns();
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var firstBatchOver = false;
        await turns.EnterBulkAsync(CancellationToken.None);
        order.Enqueue("batch 1");
        var commit = Task.Factory.StartNew(() =>
        {
            turns.EnterCommit();
            order.Enqueue(Volatile.Read(ref firstBatchOver) ? "commit" : "commit inside batch 1");
            turns.ExitCommit();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Eventually.TrueAsync(() => turns.CommitWaiting, "the commit waits for the first batch");
        var nextBatch = Task.Run(async () =>
        {
            await turns.EnterBulkAsync(CancellationToken.None);
            order.Enqueue("batch 2");
            turns.ExitBulk();
        });
        await Eventually.TrueAsync(() => turns.BulkWaiting == 1, "the second batch waits too");

        Volatile.Write(ref firstBatchOver, true);
        turns.ExitBulk();
        await commit.WaitAsync(Wait);
        await nextBatch.WaitAsync(Wait);

        Assert.Equal(["batch 1", "commit", "batch 2"], order);
    }

    [Fact]
    public async Task A_batch_that_stops_waiting_leaves_the_turns_free()
    {
        var turns = new SqliteWriteTurns();
        await turns.EnterBulkAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = turns.EnterBulkAsync(cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        turns.ExitBulk();

        Assert.Equal(0, turns.BulkWaiting);
        var commit = Task.Run(() =>
        {
            turns.EnterCommit();
            turns.ExitCommit();
        });
        await commit.WaitAsync(Wait);
        await turns.EnterBulkAsync(CancellationToken.None).WaitAsync(Wait);
        turns.ExitBulk();
    }
}
