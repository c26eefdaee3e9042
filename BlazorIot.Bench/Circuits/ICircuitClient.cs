namespace BlazorIot.Bench.Circuits;

/// <summary>A headless Blazor Server client holding one circuit open over the real hub.</summary>
internal interface ICircuitClient : IAsyncDisposable
{
    /// <summary>Called on a chart update with its points as JSON and the instant it arrived.</summary>
    Action<string, long>? ChartUpdate { get; set; }

    /// <summary>Render batches received and acknowledged.</summary>
    long RenderBatches { get; }

    /// <summary>Loads the page, connects, and starts the circuit with the page's server components.</summary>
    Task StartAsync(HttpClient http, CancellationToken cancellationToken);
}
