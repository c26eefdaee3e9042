namespace BlazorIot.Server.Mqtt;

/// <summary>What became of one message on an ingest topic.</summary>
public enum MqttOutcome
{
    /// <summary>Durably stored (or already stored under the same device id): it may be acknowledged.</summary>
    Stored,
    InvalidPayload,
    UnknownTopic,
    NotAuthorized,

    /// <summary>A retained message: never ingested, or every subscriber would store it again.</summary>
    Retained,
    TooLarge,

    /// <summary>The store could not commit: the message must not be acknowledged, so the sender sends it again.</summary>
    StoreUnavailable,
}
