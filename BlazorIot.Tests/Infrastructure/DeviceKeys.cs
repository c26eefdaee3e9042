using BlazorIot.Server.Security;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>The <c>keys</c> command, run in-process against a SQLite database, as an operator runs it next to the server.</summary>
public static class DeviceKeys
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(string databasePath, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await KeysCommand.RunAsync(["keys", .. args, $"--Storage:SqlitePath={databasePath}"], output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Adds a key (more: such as <c>--sensors a,b</c>) and returns it; fails the test if the command does.</summary>
    public static async Task<string> AddAsync(string databasePath, string name, params string[] more)
    {
        var (code, output, error) = await RunAsync(databasePath, ["add", name, .. more]);
        Assert.True(code == 0, error);
        return output.Trim();
    }
}
