using BlazorIot.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Storage;

public sealed class CommitFailureLogTests
{
    private static readonly SqliteException DiskFull = new("SQLite Error 13: 'database or disk is full'.", 13);

    private readonly FakeTimeProvider time = new();
    private readonly RecordingLogger logger = new();

    [Fact]
    public void A_failure_repeated_for_25_seconds_is_logged_once_then_counted_every_10_seconds_without_stack_traces()
    {
        var log = new CommitFailureLog(logger, time);

        FailRepeatedly(log, times: 500, every: TimeSpan.FromMilliseconds(50), requests: 3);

        var errors = logger.Entries.Where(entry => entry.Level == LogLevel.Error).ToList();
        Assert.Equal(3, errors.Count);
        Assert.All(errors, entry => Assert.Null(entry.Exception));
        Assert.All(errors, entry => Assert.Contains("database or disk is full", entry.Message, StringComparison.Ordinal));
        Assert.Contains("3 ingest requests", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("200 more failed commits, 600 ingest requests refused, in the last 10 s", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("200 more failed commits", errors[2].Message, StringComparison.Ordinal);
        var details = Assert.Single(logger.Entries, entry => entry.Level == LogLevel.Debug);
        Assert.Same(DiskFull, details.Exception);
    }

    [Fact]
    public void Recovery_is_logged_once_with_the_whole_count_and_the_next_failure_is_logged_at_once()
    {
        var log = new CommitFailureLog(logger, time);
        FailRepeatedly(log, times: 40, every: TimeSpan.FromMilliseconds(100), requests: 1);

        log.Succeeded();
        log.Succeeded();
        log.Failed(DiskFull, requests: 2);

        var recovered = Assert.Single(logger.Entries, entry => entry.Level == LogLevel.Information);
        Assert.Contains("after 40 failed commits (40 ingest requests refused) over 4 s", recovered.Message, StringComparison.Ordinal);
        Assert.Equal(2, logger.Entries.Count(entry => entry.Level == LogLevel.Error));
        Assert.Contains("2 ingest requests", logger.Entries[^2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_failure_is_logged_at_once_after_the_count_of_the_one_before()
    {
        var log = new CommitFailureLog(logger, time);
        log.Failed(DiskFull, requests: 1);
        log.Failed(DiskFull, requests: 1);
        time.Advance(TimeSpan.FromSeconds(1));

        log.Failed(new SqliteException("SQLite Error 10: 'disk I/O error'.", 10), requests: 1);

        var errors = logger.Entries.Where(entry => entry.Level == LogLevel.Error).Select(entry => entry.Message).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains("1 more failed commits", errors[1], StringComparison.Ordinal);
        Assert.Contains("disk I/O error", errors[2], StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSQL_failures_with_the_same_SQLSTATE_are_one_failure_though_their_messages_name_different_files()
    {
        var log = new CommitFailureLog(logger, time);

        log.Failed(new Npgsql.PostgresException("could not extend file \"base/16384/16390\": No space left on device", "ERROR", "ERROR", "53100"), requests: 1);
        log.Failed(new Npgsql.PostgresException("could not extend file \"base/16384/16391\": No space left on device", "ERROR", "ERROR", "53100"), requests: 1);
        log.Succeeded();

        Assert.Single(logger.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Contains("after 2 failed commits", Assert.Single(logger.Entries, entry => entry.Level == LogLevel.Information).Message, StringComparison.Ordinal);
    }

    // A full disk fails every commit, as often as commits come.
    private void FailRepeatedly(CommitFailureLog log, int times, TimeSpan every, int requests)
    {
        for (var i = 0; i < times; i++)
        {
            log.Failed(DiskFull, requests);
            time.Advance(every);
        }
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
