namespace BlazorIot.Tests.Notifications;

/// <summary>A request the receiver got, and the status it answered (null: it dropped the connection).</summary>
public sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, string? ContentType, byte[] Body, int? Answered)
{
    public string? Delivery => Headers.TryGetValue("X-BlazorIot-Delivery", out var id) ? id : null;
}
