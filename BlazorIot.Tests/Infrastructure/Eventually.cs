namespace BlazorIot.Tests.Infrastructure;

/// <summary>Waits for a condition that another thread makes true, failing after a timeout.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }
            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>The same for a condition that has to ask (a request to the server): asked again every 100 ms.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }
            await Task.Delay(100, CancellationToken.None);
        }
    }
}
