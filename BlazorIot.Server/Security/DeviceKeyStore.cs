using System.Security.Cryptography;
using BlazorIot.Server.Storage;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Server.Security;

/// <summary>Device keys in the store.</summary>
public sealed class DeviceKeyStore(SqliteDatabase database)
{
    /// <summary>Creates a key; the returned plaintext exists nowhere else, ever.</summary>
    /// <exception cref="InvalidOperationException">When a key of that name exists.</exception>
    public async Task<(DeviceKey Key, string Plaintext)> AddAsync(string name, IReadOnlySet<string>? sensors, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (id, secret, plaintext) = DeviceKeyFormat.Generate();
        var salt = RandomNumberGenerator.GetBytes(16);
        var key = new DeviceKey(id, name, salt, DeviceKeyFormat.Hash(salt, secret), sensors, now, null);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO device_keys (id, name, salt, hash, sensors, created) VALUES ($id, $name, $salt, $hash, $sensors, $created);";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$salt", salt);
        command.Parameters.AddWithValue("$hash", key.Hash);
        command.Parameters.AddWithValue("$sensors", sensors is null ? DBNull.Value : string.Join(',', sensors.Order(StringComparer.Ordinal)));
        command.Parameters.AddWithValue("$created", now.ToUnixTimeMilliseconds());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
        {
            throw new InvalidOperationException($"A key named '{name}' exists already.", exception);
        }
        return (key, plaintext);
    }

    public async Task<IReadOnlyList<DeviceKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, salt, hash, sensors, created, revoked FROM device_keys ORDER BY name;";
        var keys = new List<DeviceKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new DeviceKey(
                reader.GetString(0), reader.GetString(1), (byte[])reader[2], (byte[])reader[3],
                reader.IsDBNull(4) ? null : reader.GetString(4).Split(',').ToHashSet(StringComparer.Ordinal),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }
        return keys;
    }

    /// <summary>Revokes a key by name; false when there is no such active key.</summary>
    public async Task<bool> RevokeAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE device_keys SET revoked = $now WHERE name = $name AND revoked IS NULL;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
