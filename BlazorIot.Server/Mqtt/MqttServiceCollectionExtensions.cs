using BlazorIot.Server.Hosting;
using BlazorIot.Server.Security;
using Microsoft.Extensions.Options;
using MQTTnet.AspNetCore;
using MQTTnet.Server;

namespace BlazorIot.Server.Mqtt;

public static partial class MqttServiceCollectionExtensions
{
    /// <summary>The WebSocket path of the embedded broker (MQTT over WebSockets, as browsers and some gateways speak it).</summary>
    public const string WebSocketPath = "/mqtt";

    /// <summary>
    /// MQTT ingest in the mode <c>Mqtt:Mode</c> names: the embedded broker on Kestrel (the default),
    /// a client of an existing broker, or none.
    /// </summary>
    public static WebApplicationBuilder AddMqtt(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedSettings<MqttOptions>(MqttOptions.Section);
        services.AddSingleton<MqttReadingIngest>();
        var mode = ModeOf(builder.Configuration);
        services.AddSingleton(provider => new MqttDeviceAccess(
            mode,
            () => provider.GetService<MqttListener>()?.Port ?? 0,
            provider.GetRequiredService<IConfiguration>().GetConnectionString("Mqtt"),
            () => !provider.GetRequiredService<IngestGate>().IsOpen));
        if (mode == MqttMode.Embedded)
        {
            services.AddSingleton(provider =>
            {
                var options = provider.GetRequiredService<IOptions<MqttOptions>>().Value;
                return new MqttServerOptionsBuilder()
                    .WithoutDefaultEndpoint()
                    // A connection that has not sent CONNECT by then is closed, as HTTP's header timeout does.
                    .WithDefaultCommunicationTimeout(TimeSpan.FromSeconds(15))
                    .WithMaxPendingMessagesPerClient(options.MaxPendingPerClient)
                    .WithPendingMessagesOverflowStrategy(MQTTnet.Server.MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage)
                    .Build();
            });
            services.AddHostedMqttServer();
            services.AddMqttConnectionHandler();
            services.AddConnections();
            services.AddSingleton<EmbeddedBroker>();
            var listener = new MqttListener();
            services.AddSingleton(listener);
            builder.WebHost.ConfigureKestrel((context, kestrel) =>
                listener.Bind(kestrel, context.Configuration, PortOf(context.Configuration)));
        }
        return builder;
    }

    /// <summary>Attaches the broker's rules and maps MQTT over WebSockets at <see cref="WebSocketPath"/>.</summary>
    public static WebApplication MapMqttIngest(this WebApplication app)
    {
        if (app.Services.GetService<EmbeddedBroker>() is { } broker)
        {
            var server = app.Services.GetRequiredService<MqttServer>();
            broker.Attach(server, app.Services.GetRequiredService<MqttConnectionHandler>());
            // Kestrel stops before the hosted MQTT server and waits for its connections to end, which MQTT
            // connections never do on their own: without this a connected device held shutdown for the whole
            // shutdown timeout. Stopping the broker first closes them; its own stop later finds nothing to do.
            app.Lifetime.ApplicationStopping.Register(() => server.StopAsync(new MqttServerStopOptions()).GetAwaiter().GetResult());
            app.MapMqtt(WebSocketPath);
            var listener = app.Services.GetRequiredService<MqttListener>();
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EmbeddedBroker));
            app.Lifetime.ApplicationStarted.Register(() => LogListening(logger, string.Join(", ", listener.EndPoints.Select(endpoint => $"mqtt://{endpoint}")), WebSocketPath));
        }
        return app;
    }

    public static MqttMode ModeOf(IConfiguration configuration) =>
        Enum.TryParse<MqttMode>(configuration[$"{MqttOptions.Section}:{nameof(MqttOptions.Mode)}"], ignoreCase: true, out var mode) ? mode : MqttMode.Embedded;

    // Read before the options exist (Kestrel is configured first); a value that is not a port is reported by the settings check.
    private static int PortOf(IConfiguration configuration) =>
        int.TryParse(configuration[$"{MqttOptions.Section}:{nameof(MqttOptions.Port)}"], out var port) && port is >= 0 and <= 65535 ? port : 1883;

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT broker listening on {Endpoints} and on WebSockets at {Path}.")]
    private static partial void LogListening(ILogger logger, string endpoints, string path);
}
