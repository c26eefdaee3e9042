using BlazorIot.Server.Ingest;
using BlazorIot.Shared.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorIot.Server.Notifications;

/// <summary>The notification channels' API: admins only, as it holds receivers' URLs and secrets.</summary>
public static class NotificationEndpoints
{
    public const int DefaultDeliveries = 50;
    public const int MostDeliveries = 500;

    internal static IEndpointRouteBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var channels = endpoints.MapGroup("/api/notifications/channels").WithTags("Notifications").RequireAuthorization(Security.AdminAccess.Policy);
        channels.MapPost("/", CreateAsync).WithName("CreateChannel").WithSummary("Adds a notification channel.");
        channels.MapGet("/", ListAsync).WithName("GetChannels").WithSummary("Every notification channel (secrets only hinted).");
        channels.MapGet("/{id:long}", GetAsync).WithName("GetChannel").WithSummary("One notification channel (its secret only hinted).");
        channels.MapPut("/{id:long}", UpdateAsync).WithName("UpdateChannel").WithSummary("Replaces a channel's settings; a null secret keeps the current one, an empty one removes it.");
        channels.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteChannel").WithSummary("Deletes a channel and its delivery log.");
        channels.MapPost("/{id:long}/test", TestAsync).WithName("TestChannel").WithSummary("Sends a test message now and returns what the receiver said.");
        channels.MapGet("/{id:long}/deliveries", DeliveriesAsync).WithName("GetChannelDeliveries").WithSummary("A channel's delivery log, newest first.");
        return endpoints;
    }

    internal static async Task<Results<Created<ChannelView>, ValidationProblem>> CreateAsync(
        ChannelInput input, NotificationChannels channels, CancellationToken cancellationToken)
    {
        var save = await channels.CreateAsync(input, cancellationToken);
        return save.Channel is { } channel
            ? TypedResults.Created($"/api/notifications/channels/{channel.Id}", channel)
            : ApiProblems.Invalid(new(save.Errors, StringComparer.Ordinal));
    }

    internal static async Task<Ok<IReadOnlyList<ChannelView>>> ListAsync(NotificationChannels channels, CancellationToken cancellationToken) =>
        TypedResults.Ok(await channels.ListAsync(cancellationToken));

    internal static async Task<Results<Ok<ChannelView>, ProblemHttpResult>> GetAsync(long id, NotificationChannels channels, CancellationToken cancellationToken) =>
        await channels.GetAsync(id, cancellationToken) is { } channel ? TypedResults.Ok(channel) : UnknownChannel(id);

    internal static async Task<Results<Ok<ChannelView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, ChannelInput input, NotificationChannels channels, CancellationToken cancellationToken)
    {
        if (await channels.UpdateAsync(id, input, cancellationToken) is not { } save)
        {
            return UnknownChannel(id);
        }
        return save.Channel is { } channel ? TypedResults.Ok(channel) : ApiProblems.Invalid(new(save.Errors, StringComparer.Ordinal));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, NotificationChannels channels, CancellationToken cancellationToken) =>
        await channels.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : UnknownChannel(id);

    internal static async Task<Results<Ok<TestOutcome>, ProblemHttpResult>> TestAsync(long id, NotificationChannels channels, CancellationToken cancellationToken) =>
        await channels.TestAsync(id, cancellationToken) is { } outcome ? TypedResults.Ok(outcome) : UnknownChannel(id);

    internal static async Task<Results<Ok<IReadOnlyList<DeliveryRecord>>, ValidationProblem, ProblemHttpResult>> DeliveriesAsync(
        long id, int? limit, NotificationChannels channels, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MostDeliveries)
        {
            return ApiProblems.Invalid(new() { ["limit"] = [$"The limit is 1 to {MostDeliveries}."] });
        }
        return await channels.DeliveriesAsync(id, limit ?? DefaultDeliveries, cancellationToken) is { } deliveries
            ? TypedResults.Ok(deliveries)
            : UnknownChannel(id);
    }

    private static ProblemHttpResult UnknownChannel(long id) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "No such notification channel.", $"There is no notification channel {id}.");
}
