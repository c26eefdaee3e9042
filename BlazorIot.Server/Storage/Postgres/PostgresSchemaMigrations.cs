using Npgsql;

namespace BlazorIot.Server.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema, as numbered forward migrations recorded in <c>schema_version</c>. Several
/// instances may start at once: each migration runs under a transaction-scoped advisory lock, so
/// exactly one applies it. Never edit a released step: add one.
/// </summary>
public static class PostgresSchemaMigrations
{
    private const long MigrationLock = 0x426c617a6f72; // any fixed number that only BlazorIot uses

    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: readings, sensors and store-wide facts. seq is given by the ingest transaction from
        // facts.last_seq under a row lock, never by a sequence: ids must become visible in id order.
        """
        CREATE TABLE readings (
            seq         bigint           PRIMARY KEY,
            sensor      text             NOT NULL,
            value       double precision NOT NULL,
            ts          bigint           NOT NULL,
            received    bigint           NOT NULL,
            device_id   bigint           NULL
        );
        CREATE INDEX readings_by_sensor_time ON readings (sensor, ts);
        CREATE UNIQUE INDEX readings_by_device_id ON readings (sensor, device_id) WHERE device_id IS NOT NULL;
        CREATE TABLE sensors (
            id              text             PRIMARY KEY,
            name            text             NULL,
            unit            text             NULL,
            created         bigint           NOT NULL,
            reading_count   bigint           NOT NULL DEFAULT 0,
            last_value      double precision NULL,
            last_ts         bigint           NULL
        );
        CREATE TABLE facts (
            name    text    PRIMARY KEY,
            value   bigint  NOT NULL
        );
        INSERT INTO facts (name, value) VALUES ('last_seq', 0), ('retention_horizon', 0);
        """,

        // 2: ASP.NET Core Data Protection keys, shared by the instances.
        """
        CREATE TABLE data_protection_keys (
            friendly_name   text    PRIMARY KEY,
            xml             text    NOT NULL
        );
        """,

        // 3: alert thresholds and the alert log, and device keys (salted hashes only). Every instance
        // evaluates the same readings and logs the same alert: at most one open alert per sensor.
        """
        ALTER TABLE sensors
            ADD COLUMN threshold_low  double precision NULL,
            ADD COLUMN threshold_high double precision NULL,
            ADD COLUMN hysteresis     double precision NOT NULL DEFAULT 0;
        CREATE TABLE alerts (
            id          bigserial        PRIMARY KEY,
            sensor      text             NOT NULL,
            kind        text             NOT NULL,
            threshold   double precision NOT NULL,
            started     bigint           NOT NULL,
            ended       bigint           NULL,
            peak        double precision NOT NULL
        );
        CREATE UNIQUE INDEX alerts_one_open ON alerts (sensor) WHERE ended IS NULL;
        CREATE INDEX alerts_by_sensor ON alerts (sensor, started);
        CREATE TABLE device_keys (
            id          text    PRIMARY KEY,
            name        text    NOT NULL UNIQUE,
            salt        bytea   NOT NULL,
            hash        bytea   NOT NULL,
            sensors     text    NULL,
            created     bigint  NOT NULL,
            revoked     bigint  NULL
        );
        """,

        // 4: managing sensors. A sensor's description, decimals shown and the id it was renamed from; readings brought in by an
        // import (history: never published live); sensors deleted whose readings up to a sequence id
        // are still being removed in the background; management (admin) device keys.
        """
        ALTER TABLE sensors
            ADD COLUMN decimals    integer NULL,
            ADD COLUMN description text    NULL,
            ADD COLUMN renamed_from text   NULL;
        ALTER TABLE readings ADD COLUMN imported boolean NULL;
        CREATE TABLE sensor_removals (
            sensor  text    PRIMARY KEY,
            up_to   bigint  NOT NULL
        );
        ALTER TABLE device_keys ADD COLUMN admin boolean NOT NULL DEFAULT false;
        """,

        // 5: a sensor's own silence limit (milliseconds without a reading), replacing three usual intervals.
        """
        ALTER TABLE sensors ADD COLUMN silent_after_ms bigint NULL;
        """,

        // 6: notification channels, and their messages: the outbox and the delivery log in one table. A
        // message is pending until delivered or failed; a dispatcher claims a channel's oldest pending message
        // by moving its next_attempt (a lease), so two instances never send it at once. notification_events
        // keeps the key of every event a channel took lately: each instance raises the same event, it is stored once.
        """
        CREATE TABLE notification_channels (
            id          bigserial   PRIMARY KEY,
            name        text        NOT NULL,
            kind        text        NOT NULL,
            url         text        NULL,
            secret      text        NULL,
            sensors     text        NULL,
            events      text        NOT NULL,
            email       text        NULL,
            created     bigint      NOT NULL
        );
        CREATE TABLE notification_messages (
            id              bigserial   PRIMARY KEY,
            channel_id      bigint      NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
            created         bigint      NOT NULL,
            events          text        NOT NULL,
            test            boolean     NOT NULL DEFAULT false,
            status          text        NOT NULL,
            attempts        integer     NOT NULL DEFAULT 0,
            last_attempt    bigint      NULL,
            next_attempt    bigint      NULL,
            last_status     integer     NULL,
            last_error      text        NULL
        );
        CREATE INDEX notification_messages_by_channel ON notification_messages (channel_id, id);
        CREATE INDEX notification_messages_pending ON notification_messages (channel_id, id, next_attempt) WHERE status = 'pending';
        CREATE TABLE notification_events (
            channel_id  bigint  NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
            sensor      text    NOT NULL,
            change      text    NOT NULL,
            at          bigint  NOT NULL,
            PRIMARY KEY (channel_id, sensor, change, at)
        );
        CREATE INDEX notification_events_by_time ON notification_events (channel_id, at);
        """,
    ];

    public static int Latest => Steps.Count;

    /// <summary>Applies the steps the database has not had yet; returns the version it is at now.</summary>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockMigrations = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({MigrationLock});", connection, transaction))
        {
            await lockMigrations.ExecuteNonQueryAsync(cancellationToken);
        }
        // Under the lock: two instances creating it at once would otherwise collide on the catalog.
        await using (var table = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);", connection, transaction))
        {
            await table.ExecuteNonQueryAsync(cancellationToken);
        }
        var version = await CurrentVersionAsync(connection, transaction, cancellationToken);
        if (version > Latest)
        {
            throw new InvalidOperationException($"The database is at schema version {version}, newer than this server knows ({Latest}). Run a newer BlazorIot.");
        }
        for (var step = version; step < Latest; step++)
        {
            await using var command = new NpgsqlCommand(Steps[step], connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        if (version < Latest)
        {
            await using var record = new NpgsqlCommand("DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (@version);", connection, transaction);
            record.Parameters.AddWithValue("version", Latest);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return Latest;
    }

    public static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version;", connection, transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
