using BlazorIot.Server.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

/// <summary>
/// Decides whether an ingest request may write. With no ingest key and <c>Ingest:RequireKey</c> off,
/// ingest is open (the original lab's behaviour). Otherwise a request needs an active key, given
/// as <c>Authorization: Bearer KEY</c>, <c>X-Api-Key: KEY</c> or <c>?key=KEY</c>. Keys are
/// cached and re-read every few seconds (the keys command runs in another process), and at once
/// when an unknown key id shows up. The same cache answers the write API's key checks (<see cref="AdminAccess"/>).
/// </summary>
public sealed partial class IngestGate(DeviceKeyStore store, IOptions<IngestOptions> options, TimeProvider time, ILogger<IngestGate> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan UnknownIdRefreshAtMost = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim reloading = new(1, 1);
    private volatile Dictionary<string, DeviceKey> active = new(StringComparer.Ordinal);
    private volatile bool ingestKeyEver;
    private volatile bool adminKeyEver;
    private long lastReload;
    private ITimer? timer;

    /// <summary>
    /// True when anyone may ingest without a key: no ingest key was ever created (revoking every key
    /// does not reopen ingest). Admin keys do not count: creating one to manage sensors leaves devices as they were.
    /// </summary>
    public bool IsOpen => !options.Value.RequireKey && !ingestKeyEver;

    /// <summary>True once an admin key was ever created, revoked ones included.</summary>
    public bool AdminKeyEverCreated => adminKeyEver;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        timer = time.CreateTimer(_ => _ = ReloadQuietlyAsync(), null, RefreshEvery, RefreshEvery);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        timer?.Dispose();
        return Task.CompletedTask;
    }

    public ValueTask<KeyCheck> CheckAsync(HttpRequest request, CancellationToken cancellationToken) =>
        IsOpen ? ValueTask.FromResult(KeyCheck.Open) : CheckAsync(PresentedKey(request), cancellationToken);

    /// <summary>Checks a key given outside HTTP (an MQTT password); null or empty when none was given.</summary>
    public async ValueTask<KeyCheck> CheckAsync(string? presented, CancellationToken cancellationToken)
    {
        if (IsOpen)
        {
            return KeyCheck.Open;
        }
        if (string.IsNullOrEmpty(presented))
        {
            return KeyCheck.Missing;
        }
        return await FindActiveAsync(presented, cancellationToken) is { } key ? new KeyCheck(KeyCheckStatus.Valid, key) : KeyCheck.Invalid;
    }

    /// <summary>The active key <paramref name="presented"/> is, whether or not ingest is open; null when it is unknown, revoked or malformed.</summary>
    public async ValueTask<DeviceKey?> FindActiveAsync(string presented, CancellationToken cancellationToken)
    {
        if (!DeviceKeyFormat.TryParse(presented, out var id, out var secret))
        {
            return null;
        }
        if (!active.TryGetValue(id, out var key) && time.GetElapsedTime(Interlocked.Read(ref lastReload)) > UnknownIdRefreshAtMost)
        {
            await ReloadAsync(cancellationToken);
            active.TryGetValue(id, out key);
        }
        return key is not null && DeviceKeyFormat.Matches(key, secret) ? key : null;
    }

    /// <summary>The answer to a request whose key did not pass.</summary>
    public static ProblemHttpResult Refused(KeyCheck check) => check.Status == KeyCheckStatus.Missing
        ? ApiProblems.Problem(StatusCodes.Status401Unauthorized, "A device key is required.",
            "Send it as 'Authorization: Bearer KEY', 'X-Api-Key: KEY' or '?key=KEY'. Create one with: BlazorIot.Server keys add NAME")
        : ApiProblems.Problem(StatusCodes.Status401Unauthorized, "The device key is not valid.", "It is unknown, revoked or mistyped.");

    public static ProblemHttpResult NotForSensor(string sensor) =>
        ApiProblems.Problem(StatusCodes.Status403Forbidden, "This key may not write that sensor.", $"The key is limited to other sensors than '{sensor}'.");

    /// <summary>The key a request carries, in whichever of the three accepted forms.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        var header = request.Headers["X-Api-Key"].ToString();
        if (header.Length > 0)
        {
            return header.Trim();
        }
        var query = request.Query["key"].ToString();
        return query.Length > 0 ? query : null;
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await reloading.WaitAsync(cancellationToken);
        try
        {
            var keys = await store.ListAsync(cancellationToken);
            active = keys.Where(k => k.Revoked is null).ToDictionary(k => k.Id, StringComparer.Ordinal);
            ingestKeyEver = keys.Any(k => !k.Admin);
            adminKeyEver = keys.Any(k => k.Admin);
            Interlocked.Exchange(ref lastReload, time.GetTimestamp());
        }
        finally
        {
            reloading.Release();
        }
    }

    private async Task ReloadQuietlyAsync()
    {
        try
        {
            await ReloadAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogReloadFailed(exception);
        }
    }

    public void Dispose()
    {
        timer?.Dispose();
        reloading.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the device keys failed; the previous set stays in force.")]
    private partial void LogReloadFailed(Exception exception);
}
