namespace BlazorIot.Server.Ingest;

/// <summary>A recognised original-device write: its value, the length of its head, and whether to close after answering.</summary>
internal readonly record struct LegacyIngestHead(long Value, int Length, bool Close);
