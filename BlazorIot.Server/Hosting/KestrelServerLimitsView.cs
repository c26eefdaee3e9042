namespace BlazorIot.Server.Hosting;

/// <summary>The Kestrel timeouts a connection stage must keep, as the HTTP layer would.</summary>
public sealed record KestrelServerLimitsView(TimeSpan KeepAliveTimeout, TimeSpan RequestHeadersTimeout);
