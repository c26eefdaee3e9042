namespace BlazorIot.Server.Hosting;

/// <summary>A connection's quiet timer and its close-request registration (<see cref="QuietRead.Start"/>); dispose both with it.</summary>
internal readonly record struct QuietToken(CancellationTokenSource Source, CancellationTokenRegistration Closing) : IDisposable
{
    public void CancelAfter(TimeSpan timeout) => Source.CancelAfter(timeout);

    public void Dispose()
    {
        Closing.Dispose();
        Source.Dispose();
    }
}
