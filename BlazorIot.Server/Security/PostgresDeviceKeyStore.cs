using BlazorIot.Server.Storage.Postgres;
using Npgsql;

namespace BlazorIot.Server.Security;

/// <summary>Device keys in the shared PostgreSQL store: a key created on one instance opens ingest on all (each re-reads within seconds).</summary>
public sealed class PostgresDeviceKeyStore(PostgresDatabase database) : DeviceKeyStore
{
    protected override async Task InsertAsync(DeviceKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("INSERT INTO device_keys (id, name, salt, hash, sensors, created, admin) VALUES (@id, @name, @salt, @hash, @sensors, @created, @admin);", connection);
        command.Parameters.AddWithValue("id", key.Id);
        command.Parameters.AddWithValue("name", key.Name);
        command.Parameters.AddWithValue("salt", key.Salt);
        command.Parameters.AddWithValue("hash", key.Hash);
        command.Parameters.AddWithValue("sensors", (object?)SensorList(key.Sensors) ?? DBNull.Value);
        command.Parameters.AddWithValue("created", key.Created.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("admin", key.Admin);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"A key named '{key.Name}' exists already.", exception);
        }
    }

    public override async Task<IReadOnlyList<DeviceKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT id, name, salt, hash, sensors, created, revoked, admin FROM device_keys ORDER BY name COLLATE \"C\";", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadKeysAsync(reader, cancellationToken);
    }

    public override async Task<bool> RevokeAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE device_keys SET revoked = @now WHERE name = @name AND revoked IS NULL;", connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
