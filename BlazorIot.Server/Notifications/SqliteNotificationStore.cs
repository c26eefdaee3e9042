using System.Data.Common;
using BlazorIot.Server.Storage;

namespace BlazorIot.Server.Notifications;

/// <summary>Channels and messages in the SQLite store; every write takes this server's turn at the write lock.</summary>
public sealed class SqliteNotificationStore(SqliteDatabase database) : NotificationStore
{
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken);

    protected override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken) =>
        database.InWriteTurnAsync(async () =>
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await write(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }, cancellationToken);
}
