namespace BlazorIot.Server.Notifications;

/// <summary>A notification's receiver resolved only to addresses that the outbound rules refuse.</summary>
public sealed class OutboundAddressRefusedException(string message) : IOException(message);
