using BlazorIot.Server.Notifications;
using BlazorIot.Shared.Notifications;
using Microsoft.AspNetCore.Components;

namespace BlazorIot.Server.Dashboard.Notifications;

/// <summary>
/// A channel's delivery log, newest first, read again whenever the service says that channel's log changed.
/// Changes that arrive while it reads are folded into one more read, so a burst costs two reads, not one each.
/// </summary>
public sealed partial class DeliveryLog : ComponentBase, IDisposable
{
    /// <summary>How many messages the page shows; the service keeps more.</summary>
    public const int Shown = 50;

    private readonly CancellationTokenSource closing = new();
    private IReadOnlyList<DeliveryRecord>? records;
    private IDisposable? subscription;
    private long loadedChannel;
    private bool reading;
    private bool changedWhileReading;
    private bool disposed;

    [Inject]
    private NotificationChannels Channels { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Parameter, EditorRequired]
    public long ChannelId { get; set; }

    [Parameter, EditorRequired]
    public string ChannelName { get; set; } = "";

    protected override async Task OnParametersSetAsync()
    {
        if (ChannelId != loadedChannel)
        {
            (loadedChannel, records) = (ChannelId, null);
            await ReadAsync();
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        subscription = Channels.SubscribeDeliveries(changed =>
        {
            if (changed == loadedChannel)
            {
                _ = InvokeAsync(ChangedAsync);
            }
        });
        // A change between the first read and the subscription would otherwise go unseen.
        _ = InvokeAsync(ChangedAsync);
    }

    private async Task ChangedAsync()
    {
        if (disposed)
        {
            return;
        }
        await ReadAsync();
        if (!disposed)
        {
            StateHasChanged();
        }
    }

    private async Task ReadAsync()
    {
        if (reading)
        {
            changedWhileReading = true;
            return;
        }
        reading = true;
        try
        {
            do
            {
                changedWhileReading = false;
                records = await Channels.DeliveriesAsync(loadedChannel, Shown, closing.Token) ?? [];
            }
            while (changedWhileReading && !disposed);
        }
        catch (OperationCanceledException) when (disposed)
        {
        }
        finally
        {
            reading = false;
        }
    }

    private static string Events(DeliveryRecord record) =>
        record.Test ? "Test message" : record.Events.Count == 0 ? "" : string.Join("; ", record.Events.Select(ChannelText.Change));

    private string Local(DateTimeOffset timestamp) => DashboardText.DateTime(timestamp, Time.LocalTimeZone);

    public void Dispose()
    {
        disposed = true;
        subscription?.Dispose();
        closing.Cancel();
        closing.Dispose();
    }
}
