using System.IO.Pipelines;

namespace BlazorIot.Server.Hosting;

/// <summary>How the connection handlers below the HTTP layer read a request while keeping Kestrel's timeouts.</summary>
internal static class QuietRead
{
    /// <summary>The next bytes of a request, or null once the connection has been quiet past <paramref name="quiet"/>.</summary>
    public static async ValueTask<ReadResult?> ReadUnlessQuietAsync(this PipeReader input, CancellationTokenSource quiet)
    {
        try
        {
            return await input.ReadAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (quiet.IsCancellationRequested)
        {
            return null;
        }
    }
}
