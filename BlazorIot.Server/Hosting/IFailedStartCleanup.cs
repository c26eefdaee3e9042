namespace BlazorIot.Server.Hosting;

/// <summary>Removes what a start created when that start fails, so a failed start leaves nothing behind.</summary>
public interface IFailedStartCleanup
{
    Task CleanUpAsync(CancellationToken cancellationToken);
}
