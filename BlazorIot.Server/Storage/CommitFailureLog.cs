using System.Data.Common;

namespace BlazorIot.Server.Storage;

/// <summary>
/// How a writer reports failed commits without flooding the log when the same failure repeats (a
/// full disk fails every commit, hundreds a second): the first failure of a kind at Error without
/// its stack trace (that goes to Debug), then one line with a count every
/// <see cref="SummaryInterval"/> while it goes on, and one line when commits succeed again.
/// Called by one writer loop at a time.
/// </summary>
internal sealed partial class CommitFailureLog(ILogger logger, TimeProvider time)
{
    /// <summary>
    /// Often enough that an operator watching the log sees the failure is still there; rare enough
    /// that an outage of an hour writes a few hundred lines, not millions.
    /// </summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(10);

    private string? kind;
    private string reason = "";
    private long started;
    private long lastLine;
    private long failures;
    private long refusedRequests;
    private long unloggedFailures;
    private long unloggedRequests;

    /// <summary>A commit of <paramref name="requests"/> ingest requests failed; none of them was stored.</summary>
    public void Failed(Exception exception, int requests)
    {
        var now = time.GetTimestamp();
        var failureKind = KindOf(exception);
        if (failureKind != kind)
        {
            if (kind is not null)
            {
                LogPendingRepeats(now);
            }
            kind = failureKind;
            reason = exception.Message;
            started = now;
            lastLine = now;
            failures = 1;
            refusedRequests = requests;
            unloggedFailures = 0;
            unloggedRequests = 0;
            LogFirstFailure(logger, reason, requests, (int)SummaryInterval.TotalSeconds);
            LogFailureDetails(logger, exception);
            return;
        }
        failures++;
        refusedRequests += requests;
        unloggedFailures++;
        unloggedRequests += requests;
        if (time.GetElapsedTime(lastLine, now) >= SummaryInterval)
        {
            LogPendingRepeats(now);
        }
    }

    /// <summary>A commit succeeded: ends a run of failures, if there was one.</summary>
    public void Succeeded()
    {
        if (kind is null)
        {
            return;
        }
        LogRecovered(logger, failures, refusedRequests, time.GetElapsedTime(started).TotalSeconds, reason);
        kind = null;
    }

    private void LogPendingRepeats(long now)
    {
        if (unloggedFailures > 0)
        {
            LogStillFailing(logger, reason, unloggedFailures, unloggedRequests, time.GetElapsedTime(lastLine, now).TotalSeconds);
        }
        lastLine = now;
        unloggedFailures = 0;
        unloggedRequests = 0;
    }

    // The same failure repeats with the same code; PostgreSQL's messages name files or ids that vary, its SQLSTATE does not.
    private static string KindOf(Exception exception) =>
        exception.GetType().FullName + ": " + ((exception as DbException)?.SqlState ?? exception.Message);

    [LoggerMessage(Level = LogLevel.Error, Message = "A commit to the store failed: {Reason} None of the readings of its {Requests} ingest requests was stored; each was answered 503. "
        + "While the same failure repeats it is counted and logged every {SummarySeconds} s; its stack trace is logged at Debug.")]
    private static partial void LogFirstFailure(ILogger logger, string reason, int requests, int summarySeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The failed commit's exception.")]
    private static partial void LogFailureDetails(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Commits to the store still fail ({Reason}): {Failures} more failed commits, {Requests} ingest requests refused, in the last {Seconds:F0} s.")]
    private static partial void LogStillFailing(ILogger logger, string reason, long failures, long requests, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Commits to the store succeed again after {Failures} failed commits ({Requests} ingest requests refused) over {Seconds:F0} s; the failure was: {Reason}")]
    private static partial void LogRecovered(ILogger logger, long failures, long requests, double seconds, string reason);
}
