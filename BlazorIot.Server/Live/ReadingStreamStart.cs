using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Live;

/// <summary>A reading stream as registered: its queue, the id its live part starts after, and the windows at that instant.</summary>
public sealed record ReadingStreamStart(FrameSubscriber Subscriber, long LiveAfter, IReadOnlyList<Reading> Windows);
