using BlazorIot.Server.Ingest;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Demo;

/// <summary>A simulated device inside the server, so a newcomer sees a live chart before flashing a board. It writes through the same ingest path as real devices.</summary>
public sealed partial class DemoDevice(
    ReadingIngest ingest,
    DemoSignal signal,
    IOptions<DemoOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DemoDevice> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        if (!demo.Enabled)
        {
            return;
        }
        // Hosted services start before the server listens: waiting for it means a start that fails
        // (an address in use) leaves no demo reading in a database it created, which is then removed.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        LogStarted(demo.Sensor, demo.Period);
        using var timer = new PeriodicTimer(demo.Period, time);
        do
        {
            var now = time.GetLocalNow();
            try
            {
                await ingest.AcceptAsync(new ReadingInput(demo.Sensor, signal.Sample(now), now), stoppingToken);
            }
            catch (Storage.StoreUnavailableException)
            {
                // As a real device would, it skips this reading and sends the next; the store logs its
                // own failures, and a demo that stopped the host would take the whole server down.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo device is sending sensor {Sensor} every {Period} (set Demo:Enabled=false to turn it off).")]
    private partial void LogStarted(string sensor, TimeSpan period);
}
