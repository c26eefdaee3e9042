namespace BlazorIot.Server.Storage;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}
