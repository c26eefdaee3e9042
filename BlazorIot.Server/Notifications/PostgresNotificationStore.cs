using System.Data.Common;
using BlazorIot.Server.Storage.Postgres;

namespace BlazorIot.Server.Notifications;

/// <summary>Channels and messages in the shared PostgreSQL store, where several instances add and send at once.</summary>
public sealed class PostgresNotificationStore(PostgresDatabase database) : NotificationStore
{
    // Events for one channel are added one transaction at a time, so two instances never both open a new message.
    protected override string RowLock => "FOR UPDATE";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken);

    protected override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await write(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
