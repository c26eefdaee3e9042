namespace BlazorIot.Tests.Mqtt;

/// <summary>One message as an MQTT subscriber got it; <see cref="Retained"/> is set for a message the broker kept from before the subscription.</summary>
public sealed record ReceivedMessage(string Topic, string Payload, bool Retained);
