namespace BlazorIot.Server.Import;

/// <summary>What the store made of an import's rows: stored, or already there (<see cref="Duplicates"/>).</summary>
public readonly record struct ImportStored(long Stored, long Duplicates);
