using Microsoft.Data.Sqlite;

namespace BlazorIot.Server.Storage;

/// <summary>
/// The store's schema, as numbered forward migrations. <c>PRAGMA user_version</c> records the
/// last one applied; each runs once, in its own transaction. Never edit a released step: add one.
/// </summary>
public static class SchemaMigrations
{
    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: readings, sensors and store-wide facts.
        """
        CREATE TABLE readings (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            sensor      TEXT    NOT NULL,
            value       REAL    NOT NULL,
            ts          INTEGER NOT NULL,
            received    INTEGER NOT NULL,
            device_id   INTEGER NULL
        );
        CREATE INDEX readings_by_sensor_time ON readings (sensor, ts);
        CREATE UNIQUE INDEX readings_by_device_id ON readings (sensor, device_id) WHERE device_id IS NOT NULL;
        CREATE TABLE sensors (
            id              TEXT    PRIMARY KEY,
            name            TEXT    NULL,
            unit            TEXT    NULL,
            created         INTEGER NOT NULL,
            reading_count   INTEGER NOT NULL DEFAULT 0,
            last_value      REAL    NULL,
            last_ts         INTEGER NULL
        ) WITHOUT ROWID;
        CREATE TABLE facts (
            name    TEXT    PRIMARY KEY,
            value   INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,

        // 2: alert thresholds per sensor, and the alert log.
        """
        ALTER TABLE sensors ADD COLUMN threshold_low REAL NULL;
        ALTER TABLE sensors ADD COLUMN threshold_high REAL NULL;
        ALTER TABLE sensors ADD COLUMN hysteresis REAL NOT NULL DEFAULT 0;
        CREATE TABLE alerts (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            sensor      TEXT    NOT NULL,
            kind        TEXT    NOT NULL,
            threshold   REAL    NOT NULL,
            started     INTEGER NOT NULL,
            ended       INTEGER NULL,
            peak        REAL    NOT NULL
        );
        CREATE INDEX alerts_by_sensor ON alerts (sensor, started);
        """,

        // 3: device keys, stored only as salted hashes.
        """
        CREATE TABLE device_keys (
            id          TEXT    PRIMARY KEY,
            name        TEXT    NOT NULL UNIQUE,
            salt        BLOB    NOT NULL,
            hash        BLOB    NOT NULL,
            sensors     TEXT    NULL,
            created     INTEGER NOT NULL,
            revoked     INTEGER NULL
        ) WITHOUT ROWID;
        """,

        // 4: managing sensors. A sensor's description, decimals shown and the id it was renamed from; readings brought in by an
        // import (history: never replayed to streams); sensors deleted whose readings up to a sequence
        // id are still being removed in the background; management (admin) device keys.
        """
        ALTER TABLE sensors ADD COLUMN decimals INTEGER NULL;
        ALTER TABLE sensors ADD COLUMN description TEXT NULL;
        ALTER TABLE sensors ADD COLUMN renamed_from TEXT NULL;
        ALTER TABLE readings ADD COLUMN imported INTEGER NULL;
        CREATE TABLE sensor_removals (
            sensor  TEXT    PRIMARY KEY,
            up_to   INTEGER NOT NULL
        ) WITHOUT ROWID;
        ALTER TABLE device_keys ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
        """,

        // 5: a sensor's own silence limit (milliseconds without a reading), replacing three usual intervals.
        """
        ALTER TABLE sensors ADD COLUMN silent_after_ms INTEGER NULL;
        """,

        // 6: notification channels, and their messages: the outbox and the delivery log in one table. A
        // message is pending until delivered or failed; the dispatcher sends each channel's oldest pending
        // message when it is due. notification_events keeps the key of every event a channel took lately, so
        // the same event raised by several instances is stored once.
        """
        CREATE TABLE notification_channels (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            name        TEXT    NOT NULL,
            kind        TEXT    NOT NULL,
            url         TEXT    NULL,
            secret      TEXT    NULL,
            sensors     TEXT    NULL,
            events      TEXT    NOT NULL,
            email       TEXT    NULL,
            created     INTEGER NOT NULL
        );
        CREATE TABLE notification_messages (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            channel_id      INTEGER NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
            created         INTEGER NOT NULL,
            events          TEXT    NOT NULL,
            test            INTEGER NOT NULL DEFAULT 0,
            status          TEXT    NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_attempt    INTEGER NULL,
            next_attempt    INTEGER NULL,
            last_status     INTEGER NULL,
            last_error      TEXT    NULL
        );
        CREATE INDEX notification_messages_by_channel ON notification_messages (channel_id, id);
        CREATE INDEX notification_messages_pending ON notification_messages (channel_id, id, next_attempt) WHERE status = 'pending';
        CREATE TABLE notification_events (
            channel_id  INTEGER NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
            sensor      TEXT    NOT NULL,
            change      TEXT    NOT NULL,
            at          INTEGER NOT NULL,
            PRIMARY KEY (channel_id, sensor, change, at)
        ) WITHOUT ROWID;
        CREATE INDEX notification_events_by_time ON notification_events (channel_id, at);
        """,
    ];

    public static int Latest => Steps.Count;

    /// <summary>Applies the steps the database has not had yet; returns the version it is at now.</summary>
    public static async Task<int> ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var version = await CurrentVersionAsync(connection, cancellationToken);
        if (version > Latest)
        {
            throw new InvalidOperationException($"The database is at schema version {version}, newer than this server knows ({Latest}). Run a newer BlazorIot.");
        }
        for (var step = version; step < Latest; step++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"{Steps[step]}\nPRAGMA user_version = {step + 1};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return Latest;
    }

    public static async Task<int> CurrentVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
