using System.Threading.RateLimiting;

namespace BlazorIot.Server.Security;

/// <summary>The answer of an ingest bucket: granted, or refused with when to try again.</summary>
internal sealed class IngestLease : RateLimitLease
{
    public static readonly IngestLease Granted = new(true);
    public static readonly IngestLease Refused = new(false);

    private static readonly TimeSpan NextRefill = TimeSpan.FromSeconds(1);

    private IngestLease(bool acquired) => IsAcquired = acquired;

    public override bool IsAcquired { get; }

    public override IEnumerable<string> MetadataNames => IsAcquired ? [] : [MetadataName.RetryAfter.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = !IsAcquired && metadataName == MetadataName.RetryAfter.Name ? NextRefill : null;
        return metadata is not null;
    }
}
