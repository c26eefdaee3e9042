namespace BlazorIot.Server.Hosting;

/// <summary>
/// A reason the server cannot start, worded for the operator: what is wrong, where (a setting, a
/// file, an address) and what to do. The start-up failure report prints its message as it is.
/// </summary>
public class StartupException : Exception
{
    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
