using BlazorIot.Firmware.Core;

namespace BlazorIot.Tests.Firmware;

/// <summary>A clock the test moves by hand; wall time and monotonic time advance together.</summary>
internal sealed class ManualClock(long unixStartMs) : IClock
{
    private long unixStartMs = unixStartMs;

    public long Elapsed { get; private set; }

    public long UnixTimeMilliseconds() => unixStartMs + Elapsed;

    public long MonotonicMilliseconds() => Elapsed;

    public void Advance(long milliseconds) => Elapsed += milliseconds;

    /// <summary>What SNTP does: the wall clock jumps, the monotonic count does not.</summary>
    public void SetWallClock(long unixMs) => unixStartMs = unixMs - Elapsed;
}

/// <summary>Counts 1, 2, 3… so the order of readings on the server is easy to check.</summary>
internal sealed class CountingSensor : ISensor
{
    private double next;

    public double Read() => ++next;
}

internal sealed class RecordingLog : ILog
{
    public List<string> Lines { get; } = [];

    public void Write(string message) => Lines.Add(message);
}

/// <summary>Answers each request with the next scripted status and records what was asked.</summary>
internal sealed class ScriptedTransport : ITransport
{
    public Queue<int> Statuses { get; } = new();

    public int DefaultStatus { get; set; } = 200;

    public List<(string Method, string Url, string? Body)> Requests { get; } = [];

    public int Get(string url)
    {
        Requests.Add(("GET", url, null));
        return Statuses.TryDequeue(out var status) ? status : DefaultStatus;
    }

    public int PostJson(string url, string json, string apiKey)
    {
        Requests.Add(("POST", url, json));
        return Statuses.TryDequeue(out var status) ? status : DefaultStatus;
    }
}

internal static class DeviceRun
{
    /// <summary>Moves the device's clock forward, stepping the loop whenever it has something to do.</summary>
    public static void RunFor(this DeviceLoop device, ManualClock clock, long milliseconds)
    {
        var end = clock.Elapsed + milliseconds;
        while (clock.Elapsed < end)
        {
            var wait = device.Step();
            clock.Advance(Math.Max(1, Math.Min(wait, end - clock.Elapsed)));
        }
    }
}
