using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Hosting;

/// <summary>
/// Builds and runs the web application so that a start that cannot succeed fails cleanly: every
/// setting is checked before anything opens; when the host then fails to start (the store, the
/// address), what did start is stopped in order, what the start created is removed, and the
/// failure goes to the caller to be reported once (<see cref="StartupFailureReport"/>).
/// </summary>
public static partial class CheckedStartExtensions
{
    /// <exception cref="InvalidSettingsException">A setting is not valid; nothing has been opened or created.</exception>
    public static WebApplication BuildChecked(this WebApplicationBuilder builder)
    {
        SettingsCheck.ThrowIfLogLevelsInvalid(builder.Configuration);
        builder.Services.AddSingleton<HostStartLogGate>();
        builder.Services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>>(services => services.GetRequiredService<HostStartLogGate>());
        var app = builder.Build();
        try
        {
            SettingsCheck.ThrowIfInvalid(app.Services);
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }
        return app;
    }

    /// <summary>Starts, serves until asked to stop, then stops; returns the process's exit code.</summary>
    /// <exception cref="Exception">The start failed; what it had started is stopped and what it created is removed.</exception>
    public static async Task<int> RunCheckedAsync(this WebApplication app)
    {
        var gate = app.Services.GetRequiredService<HostStartLogGate>();
        gate.Hold();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await UndoStartAsync(app);
            throw;
        }
        finally
        {
            gate.Release();
        }

        try
        {
            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (AggregateException exception)
        {
            // The host has served: this is a failure to stop, not a start-up failure.
            LogStopFailed(app.Logger, exception);
            return StartupFailureReport.ExitCode;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task UndoStartAsync(WebApplication app)
    {
        try
        {
            // Stopped like on any stop, the background services that did start end quietly (a
            // disposed host would cancel them as failures) and the writers finish their work.
            await app.StopAsync();
        }
        catch (AggregateException exception)
        {
            LogStopAfterFailedStart(app.Logger, exception);
        }
        foreach (var cleanup in app.Services.GetServices<IFailedStartCleanup>())
        {
            await cleanup.CleanUpAsync(CancellationToken.None);
        }
        await app.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The server did not stop cleanly.")]
    private static partial void LogStopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "After the failed start, some services did not stop cleanly.")]
    private static partial void LogStopAfterFailedStart(ILogger logger, Exception exception);
}
