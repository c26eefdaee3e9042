using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>What saving a channel gave: the channel as saved, or the problems keyed by JSON field name (and nothing saved).</summary>
public sealed record ChannelSave(ChannelView? Channel, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Saved => Channel is not null;
}
