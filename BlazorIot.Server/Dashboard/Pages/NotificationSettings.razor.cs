using System.Security.Claims;
using BlazorIot.Server.Dashboard.Notifications;
using BlazorIot.Server.Notifications;
using BlazorIot.Server.Security;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Notifications;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace BlazorIot.Server.Dashboard.Pages;

/// <summary>
/// The notification channels: listed with what they send where, added, edited, deleted, tested, each with its
/// delivery log. Only for those who may manage (<see cref="AdminAccess"/>); anyone else sees that an admin sets
/// them up, and nothing of the channels.
/// </summary>
public sealed partial class NotificationSettings : ComponentBase, IDisposable
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    private readonly CancellationTokenSource closing = new();
    private bool? canManage;
    private IReadOnlyList<ChannelView> channels = [];
    private IReadOnlyList<string> sensors = [];
    private ChannelDraft draft = new();
    private string? editedName;
    private IReadOnlyDictionary<string, string[]> errors = NoErrors;
    private string? message;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    [Inject]
    private AdminAccess Access { get; set; } = default!;

    [Inject]
    private NotificationChannels Channels { get; set; } = default!;

    [Inject]
    private ReadingStore Store { get; set; } = default!;

    private string ReadOnlyNote => Access.SignInConfigured
        ? "An admin sets up notification channels. Sign in as an admin to see and change them."
        : "An admin sets up notification channels, with an admin key through the API (docs/api.md).";

    protected override async Task OnInitializedAsync()
    {
        if (await MayManageAsync())
        {
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        channels = await Channels.ListAsync(closing.Token);
        sensors = [.. (await Store.ListSensorsAsync(closing.Token)).Select(sensor => sensor.Id)];
    }

    private void Edit(ChannelView channel)
    {
        (draft, editedName, errors, message) = (ChannelDraft.Edit(channel), channel.Name, NoErrors, null);
    }

    private void StartNew()
    {
        (draft, editedName, errors) = (new ChannelDraft(), null, NoErrors);
    }

    private async Task SaveAsync()
    {
        message = null;
        if (!await MayManageAsync())
        {
            return;
        }
        var input = draft.ToInput();
        if (draft.Check() is { Count: > 0 } ownErrors)
        {
            // Nothing is saved, but every field's problem shows at once, not in two rounds.
            var rules = ChannelRules.Check(draft.KeepsStoredUrl ? input with { Url = null } : input, creating: !draft.Editing);
            errors = Merge(rules, ownErrors);
            return;
        }
        var saved = draft.Id is { } id
            ? await Channels.UpdateAsync(id, input, closing.Token)
            : await Channels.CreateAsync(input, closing.Token);
        if (saved is null)
        {
            message = $"“{editedName}” was deleted meanwhile; add it again if it is still needed.";
            StartNew();
            await LoadAsync();
            return;
        }
        if (!saved.Saved)
        {
            errors = saved.Errors;
            return;
        }
        message = $"Saved “{saved.Channel!.Name}”.";
        StartNew();
        await LoadAsync();
    }

    private async Task DeleteAsync(ChannelView channel)
    {
        message = null;
        if (!await MayManageAsync())
        {
            return;
        }
        await Channels.DeleteAsync(channel.Id, closing.Token);
        if (draft.Id == channel.Id)
        {
            StartNew();
        }
        message = $"Deleted “{channel.Name}”.";
        await LoadAsync();
    }

    private static Dictionary<string, string[]> Merge(IReadOnlyDictionary<string, string[]> first, Dictionary<string, string[]> second)
    {
        var merged = new Dictionary<string, string[]>(first, StringComparer.Ordinal);
        foreach (var (field, problems) in second)
        {
            merged[field] = merged.TryGetValue(field, out var known) ? [.. known, .. problems] : problems;
        }
        return merged;
    }

    // Asked again at each action: an admin key created meanwhile closes an open server.
    private async Task<bool> MayManageAsync()
    {
        canManage = Access.CanManage(await UserAsync());
        if (canManage == false)
        {
            (channels, draft, errors) = ([], new ChannelDraft(), NoErrors);
        }
        return canManage.Value;
    }

    private async Task<ClaimsPrincipal> UserAsync() => Authentication is null ? new ClaimsPrincipal() : (await Authentication).User;

    public void Dispose()
    {
        closing.Cancel();
        closing.Dispose();
    }
}
