using System.Data.Common;
using System.Security.Cryptography;

namespace BlazorIot.Server.Security;

/// <summary>Device keys, kept where the readings are (SQLite, or PostgreSQL shared by every instance); only salted hashes are stored.</summary>
public abstract class DeviceKeyStore
{
    /// <summary>Creates a key; the returned plaintext exists nowhere else, ever.</summary>
    /// <param name="admin">A management key (<see cref="DeviceKey.Admin"/>); it takes no sensor list.</param>
    /// <exception cref="InvalidOperationException">When a key of that name exists.</exception>
    /// <exception cref="ArgumentException">When an admin key is given sensors.</exception>
    public async Task<(DeviceKey Key, string Plaintext)> AddAsync(string name, IReadOnlySet<string>? sensors, bool admin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (admin && sensors is not null)
        {
            throw new ArgumentException("An admin key is not limited to sensors.", nameof(sensors));
        }
        var (id, secret, plaintext) = DeviceKeyFormat.Generate();
        var salt = RandomNumberGenerator.GetBytes(16);
        var key = new DeviceKey(id, name, salt, DeviceKeyFormat.Hash(salt, secret), sensors, now, null, admin);
        await InsertAsync(key, cancellationToken);
        return (key, plaintext);
    }

    /// <exception cref="InvalidOperationException">When a key of that name exists.</exception>
    protected abstract Task InsertAsync(DeviceKey key, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<DeviceKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key by name; false when there is no such active key.</summary>
    public abstract Task<bool> RevokeAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The sensors a key is limited to, as stored: sorted, comma-separated; null for any sensor.</summary>
    protected static string? SensorList(IReadOnlySet<string>? sensors) => sensors is null ? null : string.Join(',', sensors.Order(StringComparer.Ordinal));

    /// <summary>Keys from rows of (id, name, salt, hash, sensors, created, revoked, admin).</summary>
    protected static async Task<IReadOnlyList<DeviceKey>> ReadKeysAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var keys = new List<DeviceKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new DeviceKey(
                reader.GetString(0), reader.GetString(1), (byte[])reader[2], (byte[])reader[3],
                reader.IsDBNull(4) ? null : reader.GetString(4).Split(',').ToHashSet(StringComparer.Ordinal),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                reader.GetBoolean(7)));
        }
        return keys;
    }
}
