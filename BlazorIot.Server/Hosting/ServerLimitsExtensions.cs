namespace BlazorIot.Server.Hosting;

/// <summary>Kestrel limits chosen on purpose rather than left to chance: small headers, prompt request starts, bounded bodies.</summary>
public static class ServerLimitsExtensions
{
    public static WebApplicationBuilder UseDeliberateServerLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var limits = kestrel.Limits;
            limits.MaxRequestHeadersTotalSize = 32 * 1024;
            limits.MaxRequestHeaderCount = 64;
            limits.MaxRequestLineSize = 8 * 1024;
            // The JSON ingest reads at most Ingest:MaxBodyBytes itself; nothing else takes a body this large.
            limits.MaxRequestBodySize = 8 * 1024 * 1024;
            // A client has this long to send its headers: slow-loris connections do not pile up.
            limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
            limits.MaxConcurrentConnections = builder.Configuration.GetValue<long?>("Kestrel:MaxConcurrentConnections") ?? 20_000;
            limits.MaxConcurrentUpgradedConnections = builder.Configuration.GetValue<long?>("Kestrel:MaxConcurrentUpgradedConnections") ?? 5_000;
        });
        // A burst of thousands of browsers (a restart, a lab opening its pages at once) must not
        // overflow the accept queue: dropped SYNs come back only after a one-second retransmit.
        builder.WebHost.UseSockets(sockets => sockets.Backlog = builder.Configuration.GetValue<int?>("Kestrel:Backlog") ?? 4096);
        return builder;
    }
}
