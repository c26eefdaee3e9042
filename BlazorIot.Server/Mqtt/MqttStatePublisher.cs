using System.Globalization;
using System.Text;
using System.Threading.Channels;
using BlazorIot.Server.Live;
using BlazorIot.Server.Operations;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Publishes each committed reading on <c>blazoriot/sensors/{sensor}/state</c> (the bare number,
/// retained), <c>online</c>/<c>offline</c> on <c>blazoriot/status</c>, and with
/// <c>Mqtt:HomeAssistantDiscovery</c> each sensor's retained Home Assistant discovery config.
/// </summary>
/// <remarks>
/// The hub hands readings over on its publishing thread, under its lock, so they only go into a
/// bounded queue there; when the broker takes them slower than they come, the oldest are dropped
/// (and counted), never the ingest slowed. One loop drains the queue into the outlet, in order.
/// Each time the outlet becomes ready every known sensor is announced again (config, last value,
/// "online"), because a broker that was away may have lost what was retained.
/// No broker can hold a will for a server inside it, so "offline" is said on a graceful stop, as
/// soon as the application is stopping: the web server (which carries the embedded broker's
/// connections) stops before any other hosted service, so a later message would reach no one.
/// </remarks>
public sealed partial class MqttStatePublisher : BackgroundService
{
    /// <summary>Readings waiting for the broker before the oldest is dropped.</summary>
    public const int QueueCapacity = 4096;

    private readonly SensorHub hub;
    private readonly ReadingStore store;
    private readonly IMqttOutlet outlet;
    private readonly IHostApplicationLifetime lifetime;
    private readonly BlazorIotMetrics metrics;
    private readonly ILogger<MqttStatePublisher> logger;
    private readonly bool discovery;

    // A null item carries no reading: it only wakes the loop to look at announceRequested.
    private readonly Channel<Reading?> queue;

    // Touched by the loop only: the sensors whose config the broker has since it last became ready.
    private readonly HashSet<string> announced = new(StringComparer.Ordinal);

    private IDisposable? subscription;
    private CancellationTokenRegistration stopping;
    private int announceRequested;
    private long dropped;
    private bool failing;

    public MqttStatePublisher(
        SensorHub hub, ReadingStore store, IMqttOutlet outlet, IOptions<MqttOptions> options, IHostApplicationLifetime lifetime, BlazorIotMetrics metrics,
        ILogger<MqttStatePublisher> logger)
    {
        this.lifetime = lifetime;
        this.hub = hub;
        this.store = store;
        this.outlet = outlet;
        this.metrics = metrics;
        this.logger = logger;
        discovery = options.Value.HomeAssistantDiscovery;
        queue = Channel.CreateBounded<Reading?>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
    }

    /// <summary>Readings dropped from the full queue since start.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        outlet.BecameReady += RequestAnnounce;
        if (outlet.IsReady)
        {
            RequestAnnounce();
        }
        subscription = hub.SubscribeAll(Enqueue);
        stopping = lifetime.ApplicationStopping.Register(FinishQueue);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await FinishAsync(cancellationToken);
        await stopping.DisposeAsync();
        await base.StopAsync(cancellationToken);
    }

    /// <summary>Takes no more readings and waits until what is queued, then "offline", has gone out (or the host's stop time is up).</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        FinishQueue();
        if (ExecuteTask is { } draining)
        {
            try
            {
                await draining.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    // Takes no more readings; the loop sends what is queued, then "offline", and ends.
    private void FinishQueue()
    {
        outlet.BecameReady -= RequestAnnounce;
        subscription?.Dispose();
        queue.Writer.TryComplete();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var reading in queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (Interlocked.Exchange(ref announceRequested, 0) == 1)
                {
                    await AnnounceAsync(stoppingToken);
                }
                if (reading is not null)
                {
                    await PublishAsync(reading, stoppingToken);
                }
            }
            if (outlet.IsReady)
            {
                await TrySendAsync(Availability(HomeAssistantDiscovery.PayloadNotAvailable), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // On the hub's publishing thread, under its lock: never waits.
    private void Enqueue(Reading reading) => queue.Writer.TryWrite(reading);

    private void OnDropped(Reading? reading)
    {
        if (reading is not null)
        {
            Interlocked.Increment(ref dropped);
            metrics.MqttStateDropped("queue_full");
        }
    }

    private void RequestAnnounce()
    {
        Volatile.Write(ref announceRequested, 1);
        queue.Writer.TryWrite(null);
    }

    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        if (!outlet.IsReady)
        {
            return;
        }
        announced.Clear();
        IReadOnlyList<SensorInfo> sensors = [];
        try
        {
            sensors = await store.ListSensorsAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Each sensor is then announced with its next reading.
            LogListFailed(exception);
        }
        foreach (var sensor in sensors)
        {
            if (discovery && await TrySendAsync(Config(sensor), cancellationToken))
            {
                announced.Add(sensor.Id);
            }
            if (sensor.LastValue is { } last)
            {
                await TrySendAsync(State(sensor.Id, last), cancellationToken);
            }
        }
        // Said last: once a subscriber sees "online", the configs and last values are there.
        await TrySendAsync(Availability(HomeAssistantDiscovery.PayloadAvailable), cancellationToken);
        LogAnnounced(sensors.Count, discovery);
    }

    private async Task PublishAsync(Reading reading, CancellationToken cancellationToken)
    {
        if (!outlet.IsReady)
        {
            // The last value of each sensor is sent when the outlet becomes ready again.
            metrics.MqttStateDropped("not_ready");
            return;
        }
        if (discovery && !announced.Contains(reading.Sensor))
        {
            await AnnounceFirstSeenAsync(reading.Sensor, cancellationToken);
        }
        if (!await TrySendAsync(State(reading.Sensor, reading.Value), cancellationToken))
        {
            metrics.MqttStateDropped("failed");
        }
    }

    private async Task AnnounceFirstSeenAsync(string sensor, CancellationToken cancellationToken)
    {
        SensorInfo? info;
        try
        {
            info = await store.GetSensorAsync(sensor, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Tried again with the sensor's next reading: a config without the sensor's name would stick.
            LogDescribeFailed(exception, sensor);
            return;
        }
        if (await TrySendAsync(info is null ? HomeAssistantConfig(sensor, null, null) : Config(info), cancellationToken))
        {
            announced.Add(sensor);
        }
    }

    private async Task<bool> TrySendAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await outlet.PublishAsync(message, cancellationToken);
            if (failing)
            {
                failing = false;
                LogPublishingAgain();
            }
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Logged once per outage, not once per reading.
            if (!failing)
            {
                failing = true;
                LogPublishFailed(exception, message.Topic);
            }
            return false;
        }
    }

    /// <summary>The state message: the value as a bare number (invariant culture), which Home Assistant's sensor takes as it is.</summary>
    public static MqttApplicationMessage State(string sensor, double value) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(MqttTopics.State(sensor))
            .WithPayload(Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture)))
            // Retained, so a subscriber (Home Assistant after a restart) has the last value at once.
            .WithRetainFlag()
            // A newer value replaces a lost one; no acknowledgement is worth waiting for.
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build();

    public static MqttApplicationMessage Availability(string payload) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(MqttTopics.Availability)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();

    private static MqttApplicationMessage Config(SensorInfo sensor) => HomeAssistantConfig(sensor.Id, sensor.Name, sensor.Unit);

    public static MqttApplicationMessage HomeAssistantConfig(string sensor, string? name, string? unit) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(HomeAssistantDiscovery.ConfigTopic(sensor))
            .WithPayload(HomeAssistantDiscovery.Config(sensor, name, unit))
            // Retained, so Home Assistant finds it whenever it connects.
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: announced {Count} sensors (last values, Home Assistant discovery: {Discovery}) and \"online\".")]
    private partial void LogAnnounced(int count, bool discovery);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: could not list the sensors to announce; each is announced with its next reading.")]
    private partial void LogListFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: could not read sensor {Sensor}'s name and unit; its discovery config is sent with its next reading.")]
    private partial void LogDescribeFailed(Exception exception, string sensor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: publishing on '{Topic}' failed; state messages are dropped until the broker takes them again.")]
    private partial void LogPublishFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: publishing state messages again.")]
    private partial void LogPublishingAgain();
}
