using System.Diagnostics;

namespace BlazorIot.Tests.Scaling;

/// <summary>
/// Debian's nginx in front of the instances, configured as <c>deploy/nginx-scaled.conf</c> is:
/// SSE unbuffered, WebSocket upgrade, a sticky hash on a cookie for Blazor circuits, and a retry
/// on the next instance when one is down.
/// </summary>
public sealed class NginxFront : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nginx";

    private readonly string directory = Directory.CreateTempSubdirectory("blazoriot-nginx-").FullName;

    public NginxFront(int port, params int[] backends)
    {
        Port = port;
        var upstream = string.Join("\n", backends.Select(b => $"        server 127.0.0.1:{b} max_fails=1 fail_timeout=1s;"));
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                map $cookie_blazoriot_route $blazoriot_route { '' $remote_addr$remote_port; default $cookie_blazoriot_route; }
                upstream blazoriot {
                    hash $blazoriot_route consistent;
            {{upstream}}
                    keepalive 16;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://blazoriot;
                        proxy_http_version 1.1;
                        proxy_set_header Host $host;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_buffering off;
                        proxy_read_timeout 1h;
                        proxy_next_upstream error timeout http_502 http_503;
                        proxy_connect_timeout 1s;
                    }
                }
            }
            """);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    private Process? process;

    public async Task StartAsync()
    {
        // Its output goes to error.log: nginx's workers would hold a redirected pipe open after the master is gone.
        process = Process.Start(Command())!;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                (await client.GetAsync(new Uri(BaseAddress, "/health/live"))).EnsureSuccessStatusCode();
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    private ProcessStartInfo Command(params string[] extra)
    {
        var start = new ProcessStartInfo(Executable);
        foreach (var argument in (string[])["-c", Path.Combine(directory, "nginx.conf"), "-p", directory, .. extra])
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            // "stop" lets the master take its workers down with it; a killed master would leave them behind.
            using (var stop = Process.Start(Command("-s", "stop"))!)
            {
                await stop.WaitForExitAsync();
            }
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process?.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
