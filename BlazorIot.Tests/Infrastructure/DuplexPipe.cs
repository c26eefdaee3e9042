using System.IO.Pipelines;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>One side of an in-memory connection, for connection handlers run without Kestrel.</summary>
public sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
