using System.Data;
using System.Data.Common;
using System.Text.Json;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// Channels and their messages (the outbox and the delivery log in one), kept where the readings are: SQLite, or
/// PostgreSQL shared by every instance. The SQL is the same on both; a provider supplies connections, its write
/// transaction, and how a channel's row is locked while an event is added to it.
/// </summary>
public abstract class NotificationStore
{
    /// <summary>The most events one message carries; more go into the next message, so bodies stay small.</summary>
    public const int MessageEvents = 100;

    /// <summary>
    /// How long the key of an event a channel took is kept to recognise the same event raised by another
    /// instance. Instances raise it within moments of each other; the keys are removed after this.
    /// </summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromDays(1);

    private const string ChannelColumns = "id, name, kind, url, secret, sensors, events, email, created";

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="write"/> in one write transaction and commits it.</summary>
    protected abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken);

    /// <summary>What follows a SELECT of one channel row to lock it until the transaction ends (SQLite's write transaction already does).</summary>
    protected virtual string RowLock => "";

    public async Task<IReadOnlyList<NotificationChannel>> ListChannelsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {ChannelColumns} FROM notification_channels ORDER BY id;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var channels = new List<NotificationChannel>();
        while (await reader.ReadAsync(cancellationToken))
        {
            channels.Add(ReadChannel(reader));
        }
        return channels;
    }

    public async Task<NotificationChannel?> GetChannelAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {ChannelColumns} FROM notification_channels WHERE id = @id;");
        Add(command, "id", DbType.Int64, id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadChannel(reader) : null;
    }

    /// <summary>Stores a new channel (its <see cref="NotificationChannel.Id"/> is ignored); returns it with its id.</summary>
    public Task<NotificationChannel> CreateChannelAsync(NotificationChannel channel, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO notification_channels (name, kind, url, secret, sensors, events, email, created)
                VALUES (@name, @kind, @url, @secret, @sensors, @events, @email, @created) RETURNING id;
                """);
            AddChannel(command, channel);
            Add(command, "created", DbType.Int64, channel.Created.ToUnixTimeMilliseconds());
            var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return channel with { Id = id };
        }, cancellationToken);

    /// <summary>Replaces a channel's settings (not its id or creation time); false when there is no such channel.</summary>
    public Task<bool> UpdateChannelAsync(NotificationChannel channel, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                UPDATE notification_channels SET name = @name, kind = @kind, url = @url, secret = @secret, sensors = @sensors, events = @events, email = @email
                WHERE id = @id;
                """);
            AddChannel(command, channel);
            Add(command, "id", DbType.Int64, channel.Id);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    /// <summary>Deletes a channel with its messages; false when there is no such channel.</summary>
    public Task<bool> DeleteChannelAsync(long id, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            // Its messages and event keys go with it: the foreign keys cascade.
            await using var command = Command(connection, transaction, "DELETE FROM notification_channels WHERE id = @id;");
            Add(command, "id", DbType.Int64, id);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    /// <summary>
    /// Adds an event to a channel's outbox: to its pending message not tried yet when there is one with room,
    /// else to a new message due at the later of <paramref name="now"/> and the channel's last message's
    /// creation plus <paramref name="groupWindow"/>. Returns when that message is due; null when the channel
    /// is gone or it already took this event (same sensor, change and time: another instance raised it).
    /// </summary>
    public Task<DateTimeOffset?> AddEventAsync(long channelId, NotificationEvent notification, DateTimeOffset now, TimeSpan groupWindow, CancellationToken cancellationToken) =>
        WriteAsync<DateTimeOffset?>(async (connection, transaction) =>
        {
            await using (var exists = Command(connection, transaction, $"SELECT id FROM notification_channels WHERE id = @channel {RowLock};"))
            {
                Add(exists, "channel", DbType.Int64, channelId);
                if (await exists.ExecuteScalarAsync(cancellationToken) is null)
                {
                    return null;
                }
            }
            await using (var prune = Command(connection, transaction, "DELETE FROM notification_events WHERE channel_id = @channel AND at < @horizon;"))
            {
                Add(prune, "channel", DbType.Int64, channelId);
                Add(prune, "horizon", DbType.Int64, (now - RepeatWindow).ToUnixTimeMilliseconds());
                await prune.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var key = Command(connection, transaction,
                "INSERT INTO notification_events (channel_id, sensor, change, at) VALUES (@channel, @sensor, @change, @at) ON CONFLICT DO NOTHING;"))
            {
                Add(key, "channel", DbType.Int64, channelId);
                Add(key, "sensor", DbType.String, notification.Sensor);
                Add(key, "change", DbType.String, notification.Change.ToString());
                Add(key, "at", DbType.Int64, notification.At.ToUnixTimeMilliseconds());
                if (await key.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    return null;
                }
            }

            long? openId = null;
            List<NotificationEvent>? openEvents = null;
            DateTimeOffset? openDue = null;
            DateTimeOffset? lastCreated = null;
            await using (var last = Command(connection, transaction, """
                SELECT id, created, status, attempts, next_attempt, events FROM notification_messages
                WHERE channel_id = @channel AND NOT test ORDER BY id DESC LIMIT 1;
                """))
            {
                Add(last, "channel", DbType.Int64, channelId);
                await using var reader = await last.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    lastCreated = FromMilliseconds(reader.GetInt64(1));
                    if (reader.GetString(2) == Status(DeliveryStatus.Pending) && reader.GetInt32(3) == 0)
                    {
                        var events = ReadEvents(reader.GetString(5));
                        if (events.Count < MessageEvents)
                        {
                            openId = reader.GetInt64(0);
                            openDue = FromMilliseconds(reader.GetInt64(4));
                            openEvents = events;
                        }
                    }
                }
            }

            if (openId is { } id && openEvents is not null)
            {
                openEvents.Add(notification);
                await using var append = Command(connection, transaction, "UPDATE notification_messages SET events = @events WHERE id = @id AND attempts = 0;");
                Add(append, "events", DbType.String, WriteEvents(openEvents));
                Add(append, "id", DbType.Int64, id);
                if (await append.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return openDue;
                }
            }

            var due = lastCreated is { } previous && previous + groupWindow > now ? previous + groupWindow : now;
            await using var insert = Command(connection, transaction, """
                INSERT INTO notification_messages (channel_id, created, events, test, status, attempts, next_attempt)
                VALUES (@channel, @created, @events, false, @status, 0, @due);
                """);
            Add(insert, "channel", DbType.Int64, channelId);
            Add(insert, "created", DbType.Int64, now.ToUnixTimeMilliseconds());
            Add(insert, "events", DbType.String, WriteEvents([notification]));
            Add(insert, "status", DbType.String, Status(DeliveryStatus.Pending));
            Add(insert, "due", DbType.Int64, due.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(cancellationToken);
            return due;
        }, cancellationToken);

    /// <summary>Logs a test message being sent now (one attempt, never retried); returns its id, null when the channel is gone.</summary>
    public Task<long?> AddTestMessageAsync(long channelId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync<long?>(async (connection, transaction) =>
        {
            await using var insert = Command(connection, transaction, """
                INSERT INTO notification_messages (channel_id, created, events, test, status, attempts, last_attempt)
                SELECT id, @now, '[]', true, @status, 1, @now FROM notification_channels WHERE id = @channel
                RETURNING id;
                """);
            Add(insert, "channel", DbType.Int64, channelId);
            Add(insert, "now", DbType.Int64, now.ToUnixTimeMilliseconds());
            Add(insert, "status", DbType.String, Status(DeliveryStatus.Pending));
            return await insert.ExecuteScalarAsync(cancellationToken) is { } id and not DBNull
                ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)
                : null;
        }, cancellationToken);

    /// <summary>Each channel's oldest pending message when it is due at <paramref name="now"/>, the longest waiting first.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            SELECT m.id, m.channel_id FROM notification_messages m
            WHERE {Heads} AND m.next_attempt <= @now
            ORDER BY m.next_attempt, m.id LIMIT @limit;
            """);
        Add(command, "now", DbType.Int64, now.ToUnixTimeMilliseconds());
        Add(command, "limit", DbType.Int64, (long)limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<OutboxEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new OutboxEntry(reader.GetInt64(0), reader.GetInt64(1)));
        }
        return due;
    }

    /// <summary>
    /// When the next channel's oldest pending message is due, leaving out <paramref name="busyChannels"/> (being
    /// sent to now: their head is due but waits for the try under way); null when nothing else is pending.
    /// </summary>
    public async Task<DateTimeOffset?> NextDueAsync(IReadOnlyCollection<long> busyChannels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(busyChannels);
        var notBusy = busyChannels.Count == 0
            ? ""
            : $" AND m.channel_id NOT IN ({string.Join(", ", busyChannels.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT MIN(m.next_attempt) FROM notification_messages m WHERE {Heads}{notBusy};");
        return await command.ExecuteScalarAsync(cancellationToken) is { } due and not DBNull
            ? FromMilliseconds(Convert.ToInt64(due, System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>
    /// Takes a due pending message for one try: counts the attempt and moves its next attempt to
    /// <paramref name="lease"/>, so that no other dispatcher takes it meanwhile and, should this one stop
    /// mid-try, it is tried again then. The last try's error is cleared: the log shows a try under way.
    /// Null when it is no longer due (delivered, deleted, or taken).
    /// </summary>
    public Task<OutboxMessage?> ClaimAsync(long messageId, DateTimeOffset now, DateTimeOffset lease, CancellationToken cancellationToken) =>
        WriteAsync<OutboxMessage?>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                UPDATE notification_messages SET attempts = attempts + 1, last_attempt = @now, next_attempt = @lease, last_status = NULL, last_error = NULL
                WHERE id = @id AND status = @pending AND NOT test AND next_attempt <= @now
                RETURNING id, channel_id, created, events, attempts;
                """);
            Add(command, "id", DbType.Int64, messageId);
            Add(command, "now", DbType.Int64, now.ToUnixTimeMilliseconds());
            Add(command, "lease", DbType.Int64, lease.ToUnixTimeMilliseconds());
            Add(command, "pending", DbType.String, Status(DeliveryStatus.Pending));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new OutboxMessage(reader.GetInt64(0), reader.GetInt64(1), FromMilliseconds(reader.GetInt64(2)), ReadEvents(reader.GetString(3)), reader.GetInt32(4))
                : null;
        }, cancellationToken);

    /// <summary>
    /// Records how a try went: <paramref name="status"/> pending with <paramref name="nextAttempt"/>, or
    /// delivered or failed. Then keeps the channel's log to its newest <paramref name="keep"/> messages
    /// (pending ones are never removed).
    /// </summary>
    public Task RecordAsync(long messageId, DeliveryStatus status, int? answerStatus, string? error, DateTimeOffset? nextAttempt, int keep, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                UPDATE notification_messages SET status = @status, last_status = @answer, last_error = @error, next_attempt = @next WHERE id = @id;
                DELETE FROM notification_messages
                WHERE channel_id = (SELECT channel_id FROM notification_messages WHERE id = @id) AND status <> @pending
                AND id <= (SELECT o.id FROM notification_messages o WHERE o.channel_id = (SELECT channel_id FROM notification_messages WHERE id = @id)
                           ORDER BY o.id DESC LIMIT 1 OFFSET @keep);
                """);
            Add(command, "id", DbType.Int64, messageId);
            Add(command, "status", DbType.String, Status(status));
            Add(command, "answer", DbType.Int32, answerStatus);
            Add(command, "error", DbType.String, error);
            Add(command, "next", DbType.Int64, nextAttempt?.ToUnixTimeMilliseconds());
            Add(command, "pending", DbType.String, Status(DeliveryStatus.Pending));
            Add(command, "keep", DbType.Int64, (long)keep);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>A channel's delivery log, newest first.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(long channelId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT id, created, events, test, status, attempts, last_attempt, next_attempt, last_error
            FROM notification_messages WHERE channel_id = @channel ORDER BY id DESC LIMIT @limit;
            """);
        Add(command, "channel", DbType.Int64, channelId);
        Add(command, "limit", DbType.Int64, (long)limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var status = ParseStatus(reader.GetString(4));
            var error = reader.IsDBNull(8) ? null : reader.GetString(8);
            records.Add(new DeliveryRecord(
                reader.GetInt64(0), FromMilliseconds(reader.GetInt64(1)), ReadEvents(reader.GetString(2)), reader.GetBoolean(3), status,
                reader.GetInt32(5),
                reader.IsDBNull(6) ? null : FromMilliseconds(reader.GetInt64(6)),
                status == DeliveryStatus.Pending && !reader.IsDBNull(7) ? FromMilliseconds(reader.GetInt64(7)) : null,
                error));
        }
        return records;
    }

    /// <summary>A message is a head when it is pending, not a test, and its channel has no older pending message.</summary>
    private const string Heads = """
        m.status = 'pending' AND NOT m.test AND m.next_attempt IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM notification_messages o WHERE o.channel_id = m.channel_id AND o.status = 'pending' AND NOT o.test AND o.id < m.id)
        """;

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string text)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        return command;
    }

    protected static void Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static void AddChannel(DbCommand command, NotificationChannel channel)
    {
        Add(command, "name", DbType.String, channel.Name);
        Add(command, "kind", DbType.String, KindName(channel.Kind));
        Add(command, "url", DbType.String, channel.Url);
        Add(command, "secret", DbType.String, channel.Secret);
        Add(command, "sensors", DbType.String, channel.Sensors is null ? null : JsonSerializer.Serialize(channel.Sensors.ToList(), NotificationJsonContext.Default.ListString));
        Add(command, "events", DbType.String, JsonSerializer.Serialize(channel.Events.ToList(), NotificationJsonContext.Default.ListNotificationEventKind));
        Add(command, "email", DbType.String, channel.Email is null ? null : JsonSerializer.Serialize(channel.Email, NotificationJsonContext.Default.EmailSettings));
    }

    private static NotificationChannel ReadChannel(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        Enum.Parse<ChannelKind>(reader.GetString(2), ignoreCase: true),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), NotificationJsonContext.Default.ListString),
        JsonSerializer.Deserialize(reader.GetString(6), NotificationJsonContext.Default.ListNotificationEventKind) ?? [],
        reader.IsDBNull(7) ? null : JsonSerializer.Deserialize(reader.GetString(7), NotificationJsonContext.Default.EmailSettings),
        FromMilliseconds(reader.GetInt64(8)));

    private static List<NotificationEvent> ReadEvents(string json) =>
        JsonSerializer.Deserialize(json, NotificationJsonContext.Default.ListNotificationEvent) ?? [];

    private static string WriteEvents(List<NotificationEvent> events) =>
        JsonSerializer.Serialize(events, NotificationJsonContext.Default.ListNotificationEvent);

    private static string KindName(ChannelKind kind) => kind.ToString().ToLowerInvariant();

    private static string Status(DeliveryStatus status) => status.ToString().ToLowerInvariant();

    private static DeliveryStatus ParseStatus(string status) => Enum.Parse<DeliveryStatus>(status, ignoreCase: true);

    private static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
