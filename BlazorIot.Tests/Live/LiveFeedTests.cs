using BlazorIot.Server.Live;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Tests.Live;

public sealed class LiveFeedTests
{
    [Fact]
    public void Ending_the_circuit_releases_every_subscription_a_component_left_open()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        var feed = new LiveFeed(hub);
        var received = new List<Reading>();
        var closedByComponent = feed.Subscribe("luminosity", received.Add);
        _ = feed.Subscribe("luminosity", received.Add);
        _ = feed.Subscribe("temperature", received.Add);
        closedByComponent.Dispose();
        Assert.Equal(2, hub.SubscriberCount);

        feed.Dispose();
        hub.Publish("luminosity", 1, time.GetUtcNow());

        Assert.Equal(0, hub.SubscriberCount);
        Assert.Empty(received);
        Assert.Throws<ObjectDisposedException>(() => feed.Subscribe("luminosity", received.Add));
        Assert.Equal(0, hub.SubscriberCount);
    }

    [Fact]
    public void Reads_the_hub_window()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        using var feed = new LiveFeed(hub);
        var reading = hub.Publish("luminosity", 9, time.GetUtcNow());

        Assert.Equal([reading], feed.GetWindow("luminosity"));
    }
}
