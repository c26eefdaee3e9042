namespace BlazorIot.Bench.Load;

/// <summary>How the load sends readings.</summary>
internal enum IngestMode
{
    /// <summary><c>GET /luminosity/{value}</c>, the original device's request.</summary>
    Legacy,

    /// <summary>One reading per <c>POST /api/readings</c>.</summary>
    Post,

    /// <summary>Many readings per <c>POST /api/readings</c>.</summary>
    Batch,

    /// <summary>nchan's publisher: <c>POST /pub</c> with a snapshot-shaped message.</summary>
    Nchan,

    /// <summary>One reading per MQTT message on <c>blazoriot/sensors/{sensor}/readings</c>, to the broker <c>--mqtt</c> names.</summary>
    Mqtt,
}
