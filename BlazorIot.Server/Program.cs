using BlazorIot.Server.Alerts;
using BlazorIot.Server.ApiReference;
using BlazorIot.Server.Dashboard;
using BlazorIot.Server.Demo;
using BlazorIot.Server.ErrorPages;
using BlazorIot.Server.Hosting;
using BlazorIot.Server.Import;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Live;
using BlazorIot.Server.Mqtt;
using BlazorIot.Server.Notifications;
using BlazorIot.Server.Operations;
using BlazorIot.Server.Scaling;
using BlazorIot.Server.Security;
using BlazorIot.Server.Sensors;
using BlazorIot.Server.Storage;
using BlazorIot.Server.Streaming;

WebApplicationBuilder? builder = null;
try
{
    if (args is ["keys", ..])
    {
        return await KeysCommand.RunAsync(args, Console.Out, Console.Error);
    }
    if (args is ["backup", ..])
    {
        return await BackupCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
    }
    if (args is ["users", ..])
    {
        return UsersCommand.Run(args, Console.In, Console.Out, Console.Error);
    }

    builder = WebApplication.CreateBuilder(args);
    builder.UseDeliberateServerLimits();

    builder.Services.AddErrorPages();
    builder.Services.AddProxyAndCors(builder.Configuration);
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddLive();
    builder.Services.AddStorage(builder.Configuration);
    builder.Services.AddAlerts();
    builder.Services.AddNotifications();
    builder.Services.AddSensors();
    builder.Services.AddIngest();
    builder.Services.AddImport();
    builder.Services.AddDeviceKeys();
    builder.Services.AddViewerSignIn(builder.Configuration);
    builder.Services.AddAdminAccess();
    builder.Services.AddIngestRateLimits();
    builder.AddMqtt();
    builder.Services.AddOperations();
    builder.Services.AddStreaming();
    builder.Services.AddDemo();
    builder.Services.AddApiReference();
    builder.Services.AddDashboard();

    var app = builder.BuildChecked();

    app.UseProxyAndCors();
    app.UseInstanceAffinity();
    app.UseSecurityHeaders();
    // Routing here, after the proxy headers and the security headers: an endpoint that short-circuits
    // (the original device's GET) skips only what follows.
    app.UseRouting();
    app.UseErrorPages();
    app.UseRateLimiter();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseAntiforgery();

    app.MapIngest();
    app.MapMqttIngest();
    app.MapStreaming();
    app.MapSensors();
    app.MapImport();
    app.MapAlerts();
    app.MapNotifications();
    app.MapBackup();
    app.MapApiReference();
    app.MapOperations();
    app.MapViewerSignIn();
    app.MapDashboard();

    return await app.RunCheckedAsync();
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    return StartupFailureReport.Write(exception, builder?.Configuration, Console.Error);
}

/// <summary>The web host's entry point, public so tests can host it.</summary>
public partial class Program;
