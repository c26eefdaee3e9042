using System.Globalization;
using System.Security.Claims;
using BlazorIot.Server.Live;
using BlazorIot.Server.Notifications.Events;
using BlazorIot.Server.Security;
using BlazorIot.Server.Sensors;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace BlazorIot.Server.Dashboard;

/// <summary>
/// A sensor's settings panel: its description, its silence limit, a rename (or merge), a CSV import and deletion, for those who may
/// change sensors (<see cref="AdminAccess"/>); read-only words for everyone else. Without sign-in a
/// merge or a deletion asks for the sensor's id to be typed. After a rename it says when a device
/// still sends the old id, since those readings start the old sensor anew.
/// </summary>
public sealed partial class SensorSettings : ComponentBase, IDisposable
{
    private IReadOnlyDictionary<string, string[]> describeErrors = new Dictionary<string, string[]>();
    private string? name;
    private string? unit;
    private int? decimals;
    private string? description;
    private bool describeSaved;
    private string renameTo = "";
    private bool merge;
    private string renameConfirm = "";
    private string? renameError;
    private string deleteConfirm = "";
    private bool confirmingDelete;
    private bool canManage;
    private string? stillReporting;
    private string? watchedOldId;
    private IDisposable? oldIdReadings;
    private SensorInfo? shown;
    private double? silenceMinutes;
    private IReadOnlyDictionary<string, string[]> silenceErrors = new Dictionary<string, string[]>();
    private bool silenceSaved;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    [Inject]
    private AdminAccess Access { get; set; } = default!;

    [Inject]
    private SensorAdministration Sensors { get; set; } = default!;

    [Inject]
    private ReadingStore Store { get; set; } = default!;

    [Inject]
    private LiveFeed Feed { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private SilenceWatch Silence { get; set; } = default!;

    private static string MinSilenceMinutes => (SilenceWatch.ShortestLimit.TotalMinutes).ToString(CultureInfo.InvariantCulture);

    private static string MaxSilenceMinutes => (SilenceWatch.LongestLimit.TotalMinutes).ToString(CultureInfo.InvariantCulture);

    /// <summary>Three usual intervals, as words; what applies when no limit is set.</summary>
    private string AutomaticText => Silence.AutomaticLimitOf(Sensor.Id) is { } automatic
        ? $"now {Duration(automatic)}"
        : "not known until it has sent two readings";

    private string SilenceText => Silence.LimitOf(Sensor.Id) is { } limit
        ? Duration(limit)
        : $"automatic, three usual intervals ({AutomaticText})";

    private static string Duration(TimeSpan duration) => duration switch
    {
        { TotalSeconds: < 120 } => string.Create(CultureInfo.CurrentCulture, $"{Math.Round(duration.TotalSeconds, 1)} s"),
        { TotalMinutes: < 120 } => string.Create(CultureInfo.CurrentCulture, $"{Math.Round(duration.TotalMinutes, 1)} min"),
        { TotalHours: < 48 } => string.Create(CultureInfo.CurrentCulture, $"{Math.Round(duration.TotalHours, 1)} h"),
        _ => string.Create(CultureInfo.CurrentCulture, $"{Math.Round(duration.TotalDays, 1)} days"),
    };

    [Parameter, EditorRequired]
    public SensorInfo Sensor { get; set; } = default!;

    private string ReadOnlyNote => Access.SignInConfigured
        ? "Only an admin can change this sensor."
        : "This server takes changes only from an admin key, through the API (docs/api.md).";

    private bool CanRename =>
        SensorId.IsValid(renameTo) && renameTo != Sensor.Id && (!merge || !Access.ConfirmByTyping || renameConfirm == Sensor.Id);

    protected override async Task OnParametersSetAsync()
    {
        // The page renders again with every live reading: what is being typed stays, unless the sensor itself changed.
        if (Sensor == shown)
        {
            return;
        }
        shown = Sensor;
        canManage = Access.CanManage(await UserAsync());
        (name, unit, decimals, description) = (Sensor.Name, Sensor.Unit, Sensor.Decimals, Sensor.Description);
        silenceMinutes = Silence.LimitOf(Sensor.Id)?.TotalMinutes;
        await CheckOldIdAsync();
    }

    private async Task SaveSilenceAsync()
    {
        silenceSaved = false;
        if (!await MayManageAsync())
        {
            return;
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        TimeSpan? after = silenceMinutes is { } minutes
            ? TimeSpan.FromMinutes(Math.Clamp(minutes, -1, SilenceWatch.LongestLimit.TotalMinutes + 1))
            : null;
        if (SilenceWatch.CheckLimit(after) is { } error)
        {
            errors["after"] = [error];
            silenceErrors = errors;
            return;
        }
        silenceErrors = errors;
        await Silence.SetLimitAsync(Sensor.Id, after, CancellationToken.None);
        silenceSaved = true;
    }

    private async Task SaveDescriptionAsync()
    {
        describeSaved = false;
        if (!await MayManageAsync())
        {
            return;
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (SensorDescription.Check(new SensorDescription(name, unit, decimals, description), errors) is not { } checkedDescription)
        {
            describeErrors = errors;
            return;
        }
        describeErrors = errors;
        await Sensors.DescribeAsync(Sensor.Id, checkedDescription.Name, checkedDescription.Unit, checkedDescription.Decimals, checkedDescription.Description, CancellationToken.None);
        describeSaved = true;
    }

    private async Task RenameAsync()
    {
        renameError = null;
        if (!CanRename || !await MayManageAsync())
        {
            return;
        }
        var renamed = await Sensors.RenameAsync(Sensor.Id, renameTo, merge, CancellationToken.None);
        switch (renamed.Outcome)
        {
            case RenameOutcome.Renamed:
                Navigation.NavigateTo($"sensors/{renameTo}");
                break;
            case RenameOutcome.TargetExists:
                renameError = $"A sensor '{renameTo}' exists already. Tick \"merge\" to merge the two histories into it.";
                break;
            case RenameOutcome.UnknownSensor:
                renameError = $"Sensor '{Sensor.Id}' no longer exists.";
                break;
        }
    }

    private async Task DeleteAsync()
    {
        if ((Access.ConfirmByTyping ? deleteConfirm != Sensor.Id : !confirmingDelete) || !await MayManageAsync())
        {
            return;
        }
        await Sensors.DeleteAsync(Sensor.Id, CancellationToken.None);
        Navigation.NavigateTo("");
    }

    // Asked again at each action: an admin key created meanwhile closes an open server.
    private async Task<bool> MayManageAsync()
    {
        canManage = Access.CanManage(await UserAsync());
        return canManage;
    }

    private async Task<ClaimsPrincipal> UserAsync() => Authentication is null ? new ClaimsPrincipal() : (await Authentication).User;

    /// <summary>Readings still arriving under the id this sensor was renamed from: a device was not updated.</summary>
    private async Task CheckOldIdAsync()
    {
        var old = Sensor.RenamedFrom;
        if (old != watchedOldId)
        {
            oldIdReadings?.Dispose();
            oldIdReadings = null;
            watchedOldId = old;
            if (old is not null && canManage)
            {
                oldIdReadings = Feed.Subscribe(old, reading =>
                {
                    if (stillReporting is null)
                    {
                        _ = InvokeAsync(async () =>
                        {
                            await CheckOldIdAsync();
                            StateHasChanged();
                        });
                    }
                });
            }
        }
        stillReporting = old is not null && await Store.GetSensorAsync(old, CancellationToken.None) is { Count: > 0 } again
            ? $"Readings still arrive as '{old}', this sensor's id before it was renamed ({again.Count} so far): a device still sends the old id, "
              + $"and they make a new sensor '{old}'. Change the device's sensor id, then rename '{old}' to '{Sensor.Id}' with merge to bring them here."
            : null;
    }

    public void Dispose() => oldIdReadings?.Dispose();
}
