using BlazorIot.Server.Hosting;
using BlazorIot.Server.Operations;
using BlazorIot.Server.Security;
using Microsoft.AspNetCore.Http.Connections;
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
        var configuration = builder.Configuration;
        services.AddValidatedSettings<MqttOptions>(MqttOptions.Section)
            .Validate(
                options => options.Mode != MqttMode.Broker || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(BrokerAddress.ConnectionStringName)),
                $"Mqtt:Mode is broker: set ConnectionStrings:Mqtt ({BrokerAddress.Form}).")
            .Validate(
                // The value is not echoed: it holds the broker password.
                options => options.Mode != MqttMode.Broker || string.IsNullOrWhiteSpace(configuration.GetConnectionString(BrokerAddress.ConnectionStringName))
                    || BrokerAddress.TryParse(configuration.GetConnectionString(BrokerAddress.ConnectionStringName), out _),
                $"ConnectionStrings:Mqtt is not an MQTT broker address: {BrokerAddress.Form} (port 1883 when left out; user and password optional, URL-encoded).");
        services.AddSingleton<MqttReadingIngest>();
        var mode = ModeOf(configuration);
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
            services.AddMqttConnectionHandler();
            services.AddSingleton(provider => new MqttServerFactory().CreateMqttServer(
                provider.GetRequiredService<MqttServerOptions>(), provider.GetServices<IMqttServerAdapter>()));
            services.AddConnections();
            services.AddSingleton<EmbeddedBroker>();
            services.AddHostedService<EmbeddedBrokerLifetime>();
            services.AddSingleton<EmbeddedOutlet>();
            services.AddSingleton<IMqttOutlet>(provider => provider.GetRequiredService<EmbeddedOutlet>());
            var listener = new MqttListener();
            services.AddSingleton(listener);
            builder.WebHost.ConfigureKestrel((context, kestrel) =>
                listener.Bind(kestrel, context.Configuration, PortOf(context.Configuration)));
        }
        else if (mode == MqttMode.Broker)
        {
            // Resolved only after the settings check has passed, so the address parses here.
            services.AddSingleton(provider => BrokerAddress.TryParse(provider.GetRequiredService<IConfiguration>().GetConnectionString(BrokerAddress.ConnectionStringName), out var address)
                ? address!
                : throw new InvalidOperationException("ConnectionStrings:Mqtt is not an MQTT broker address."));
            services.AddSingleton<BrokerLink>();
            services.AddSingleton<IMqttOutlet>(provider => provider.GetRequiredService<BrokerLink>());
            services.AddHostedService(provider => provider.GetRequiredService<BrokerLink>());
            services.AddHealthChecks().AddCheck<BrokerLinkHealthCheck>("mqtt-broker", tags: [OperationsExtensions.Ready]);
        }
        // Every mode with an outlet (registered above) can publish.
        if (PublishesState(builder.Configuration) && services.Any(service => service.ServiceType == typeof(IMqttOutlet)))
        {
            services.AddSingleton<MqttStatePublisher>();
            services.AddHostedService(provider => provider.GetRequiredService<MqttStatePublisher>());
        }
        return builder;
    }

    /// <summary>Attaches the broker's rules and maps MQTT over WebSockets at <see cref="WebSocketPath"/>.</summary>
    public static WebApplication MapMqttIngest(this WebApplication app)
    {
        if (app.Services.GetService<EmbeddedBroker>() is { } broker)
        {
            broker.Attach(app.Services.GetRequiredService<MqttServer>(), app.Services.GetRequiredService<MqttConnectionHandler>());
            // WebSockets only: MQTT has no use for the long-polling and SSE fallbacks of the connection dispatcher.
            app.MapConnectionHandler<MqttConnectionHandler>(WebSocketPath, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.WebSockets.SubProtocolSelector = MqttSubProtocolSelector.SelectSubProtocol;
            });
            var listener = app.Services.GetRequiredService<MqttListener>();
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EmbeddedBroker));
            app.Lifetime.ApplicationStarted.Register(() => LogListening(logger, string.Join(", ", listener.EndPoints.Select(endpoint => $"mqtt://{endpoint}")), WebSocketPath));
        }
        return app;
    }

    public static MqttMode ModeOf(IConfiguration configuration) =>
        Enum.TryParse<MqttMode>(configuration[$"{MqttOptions.Section}:{nameof(MqttOptions.Mode)}"], ignoreCase: true, out var mode) ? mode : MqttMode.Embedded;

    /// <summary><c>Mqtt:PublishState</c>, or <c>Mqtt:HomeAssistantDiscovery</c> (which implies it).</summary>
    public static bool PublishesState(IConfiguration configuration) =>
        IsOn(configuration, nameof(MqttOptions.PublishState)) || IsOn(configuration, nameof(MqttOptions.HomeAssistantDiscovery));

    private static bool IsOn(IConfiguration configuration, string option) =>
        bool.TryParse(configuration[$"{MqttOptions.Section}:{option}"], out var on) && on;

    // Read before the options exist (Kestrel is configured first); a value that is not a port is reported by the settings check.
    private static int PortOf(IConfiguration configuration) =>
        int.TryParse(configuration[$"{MqttOptions.Section}:{nameof(MqttOptions.Port)}"], out var port) && port is >= 0 and <= 65535 ? port : 1883;

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT broker listening on {Endpoints} and on WebSockets at {Path}.")]
    private static partial void LogListening(ILogger logger, string endpoints, string path);
}
