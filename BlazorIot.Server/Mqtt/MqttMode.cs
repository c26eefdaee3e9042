namespace BlazorIot.Server.Mqtt;

/// <summary>How the server takes readings over MQTT.</summary>
public enum MqttMode
{
    /// <summary>An MQTT server inside this process, on Kestrel: TCP on <c>Mqtt:Port</c> and WebSockets at <c>/mqtt</c>.</summary>
    Embedded,

    /// <summary>A client of an existing broker (<c>ConnectionStrings:Mqtt</c>), subscribed to the ingest topics.</summary>
    Broker,

    /// <summary>No MQTT.</summary>
    Off,
}
