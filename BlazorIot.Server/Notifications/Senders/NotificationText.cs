using System.Globalization;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications.Senders;

/// <summary>
/// The human wording of one message, shared by every kind of channel: a title, one line per event,
/// and a cap ("and 37 more") so a message stays within what each service accepts. Only ASCII is
/// added around sensor names, so a service's character and byte limits count the same.
/// </summary>
public sealed class NotificationText
{
    /// <summary>What a test message says, so nobody mistakes it for a real alert.</summary>
    public const string TestNotice = "This is a test notification from BlazorIot: no sensor changed.";

    /// <summary>The longest any one line gets before it is cut; sensor ids are short, so only a malformed event reaches it.</summary>
    public const int MaxLineLength = 400;

    private NotificationText(string title, IReadOnlyList<NotificationEvent> events, bool test)
    {
        Title = title;
        Events = events;
        Test = test;
    }

    /// <summary>"co2 above 1000: 1204.5" for one event, "5 sensor changes" for several; a test says so first.</summary>
    public string Title { get; }

    public IReadOnlyList<NotificationEvent> Events { get; }

    public bool Test { get; }

    public static NotificationText For(IReadOnlyList<NotificationEvent> events, bool test)
    {
        var title = events.Count switch
        {
            0 => test ? "Test notification from BlazorIot" : "No sensor changes",
            1 => Headline(events[0]),
            _ => string.Create(CultureInfo.InvariantCulture, $"{events.Count} sensor changes"),
        };
        if (test && events.Count > 0)
        {
            title = "Test from BlazorIot: " + title;
        }
        return new NotificationText(title, events, test);
    }

    /// <summary>Each event's line, with the sensor name shaped for the service (a code span, escaped, ...).</summary>
    public IReadOnlyList<string> Lines(Func<string, string>? sensor = null) =>
        [.. Events.Select(notification => Truncate(Line(notification, sensor), MaxLineLength))];

    /// <summary>What happened, without the time: "co2 above 1000: 1204.5", "door silent: no reading since 14:03 UTC (12 min)".</summary>
    public static string Headline(NotificationEvent notification, Func<string, string>? sensor = null)
    {
        var name = sensor is null ? notification.Sensor : sensor(notification.Sensor);
        var value = Number(notification.Value);
        return notification.Change switch
        {
            NotificationChange.AboveHigh => notification.Threshold is { } high
                ? $"{name} above {Number(high)}: {value}"
                : $"{name} above its high threshold: {value}",
            NotificationChange.BelowLow => notification.Threshold is { } low
                ? $"{name} below {Number(low)}: {value}"
                : $"{name} below its low threshold: {value}",
            NotificationChange.Cleared => $"{name} back within its thresholds: {value}",
            NotificationChange.Silent => notification.LastReading is { } last
                ? $"{name} silent: no reading since {last.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC ({Duration(notification.At - last)})"
                : $"{name} silent: no reading yet",
            NotificationChange.Back => $"{name} sending again: {value}",
            _ => $"{name}: {notification.Change}",
        };
    }

    /// <summary>The headline and when it happened, in UTC ISO 8601.</summary>
    public static string Line(NotificationEvent notification, Func<string, string>? sensor = null) =>
        $"{Headline(notification, sensor)} at {Timestamp(notification.At)}";

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// As many of <paramref name="lines"/> as fit in <paramref name="budget"/> (joined by newlines,
    /// measured by <paramref name="measure"/>, characters when null), then "and N more" for the rest.
    /// </summary>
    public static IReadOnlyList<string> Fit(IReadOnlyList<string> lines, int budget, Func<string, int>? measure = null)
    {
        measure ??= static text => text.Length;
        if (lines.Sum(line => measure(line)) + Math.Max(0, lines.Count - 1) <= budget)
        {
            return lines;
        }
        var kept = new List<string>(Math.Min(lines.Count, 128));
        var used = 0;
        for (var index = 0; index < lines.Count; index++)
        {
            var cost = (kept.Count > 0 ? 1 : 0) + measure(lines[index]);
            var left = lines.Count - index - 1;
            // Not all fit, so an "and N more" ends the list: room is kept for it.
            var reserve = left > 0 ? 1 + measure(More(left)) : 0;
            if (used + cost + reserve > budget)
            {
                kept.Add(More(lines.Count - index));
                break;
            }
            kept.Add(lines[index]);
            used += cost;
        }
        return kept;
    }

    public static string More(int count) => string.Create(CultureInfo.InvariantCulture, $"and {count} more");

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters, marking the cut, never splitting a surrogate pair.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var keep = Math.Max(0, max - 3);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }
        return string.Concat(text.AsSpan(0, keep), "...");
    }

    private static string Number(double? value) =>
        value is { } number ? number.ToString("0.###", CultureInfo.InvariantCulture) : "no value";

    private static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span.TotalMinutes < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds} s")
            : span.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min")
            : span.TotalDays < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours} h");
    }
}
