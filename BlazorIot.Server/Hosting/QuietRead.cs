using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace BlazorIot.Server.Hosting;

/// <summary>How the connection handlers below the HTTP layer read a request while keeping Kestrel's timeouts.</summary>
internal static class QuietRead
{
    /// <summary>
    /// A token that fires when the connection has been quiet for <paramref name="timeout"/>
    /// (reset it with <c>CancelAfter</c>) or when Kestrel asks it to close (the server is
    /// stopping): the HTTP layer closes an idle kept-alive connection then, and so must we.
    /// </summary>
    public static QuietToken Start(ConnectionContext connection, TimeProvider time, TimeSpan timeout)
    {
        var quiet = new CancellationTokenSource(timeout, time);
        var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .Register(static state => ((CancellationTokenSource)state!).Cancel(), quiet);
        return new QuietToken(quiet, closing ?? default);
    }

    /// <summary>The next bytes of a request, or null once the connection went quiet, is closing, or broke.</summary>
    public static async ValueTask<ReadResult?> ReadUnlessQuietAsync(this PipeReader input, QuietToken quiet)
    {
        try
        {
            return await input.ReadAsync(quiet.Source.Token);
        }
        catch (OperationCanceledException) when (quiet.Source.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception exception) when (IsBroken(exception))
        {
            return null;
        }
    }

    /// <summary>The client reset or the transport aborted the connection: a normal end, not an error to log.</summary>
    public static bool IsBroken(Exception exception) =>
        exception is IOException or ConnectionResetException or ConnectionAbortedException or ObjectDisposedException;
}
