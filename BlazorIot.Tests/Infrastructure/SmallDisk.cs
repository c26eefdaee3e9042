using System.Diagnostics;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>
/// A 3 MiB tmpfs in a temporary folder, so a test can fill the disk under a running server and
/// free it again. Mounting needs root (CAP_SYS_ADMIN): <see cref="Mounted"/> says whether it worked.
/// </summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private SmallDisk(string folder, bool mounted)
    {
        Folder = folder;
        Mounted = mounted;
    }

    public string Folder { get; }

    public bool Mounted { get; }

    private string Filler => Path.Combine(Folder, "filler");

    public static async Task<SmallDisk> MountAsync()
    {
        var folder = Directory.CreateTempSubdirectory("blazoriot-small-disk-").FullName;
        return new SmallDisk(folder, await RunAsync("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", folder) == 0);
    }

    /// <summary>Writes a file until no space is left.</summary>
    public void Fill() => FillWith(Filler);

    /// <summary>Writes <paramref name="path"/> until its disk has no space left.</summary>
    public static void FillWith(string path)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // No space left: that is the point.
        }
    }

    public void Free() => File.Delete(Filler);

    public async ValueTask DisposeAsync()
    {
        if (Mounted)
        {
            await RunAsync("umount", "--lazy", Folder);
        }
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Runs a short command (mount, umount) and returns its exit code; -1 when it cannot be started.</summary>
    public static async Task<int> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
