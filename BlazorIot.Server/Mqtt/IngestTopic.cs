namespace BlazorIot.Server.Mqtt;

public enum IngestTopic
{
    /// <summary>Not a topic readings are taken on.</summary>
    Unknown,

    /// <summary><c>blazoriot/sensors/{sensor}/readings</c>: a bare number or one JSON reading.</summary>
    Sensor,

    /// <summary><c>blazoriot/sensors/{sensor}/readings</c> with a sensor id that breaks the id rules.</summary>
    BadSensor,

    /// <summary><c>blazoriot/readings</c>: a JSON array of readings.</summary>
    Batch,
}
