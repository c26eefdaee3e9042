using System.Diagnostics;

namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>A clone (or bare copy) of one of nanoFramework's library repositories, read through the git command line.</summary>
public sealed class GitRepository(string path)
{
    public string Path { get; } = path;

    public string Name => System.IO.Path.GetFileName(Path.TrimEnd('/'));

    public static bool IsRepository(string path) =>
        Directory.Exists(System.IO.Path.Combine(path, ".git")) || File.Exists(System.IO.Path.Combine(path, ".git"))
        || (File.Exists(System.IO.Path.Combine(path, "HEAD")) && Directory.Exists(System.IO.Path.Combine(path, "objects")));

    /// <summary>The full commit id a tag points to, or null when the repository has no such tag.</summary>
    public string? CommitOf(string tag)
    {
        var (code, output, _) = Run("rev-parse", "--verify", "--quiet", $"refs/tags/{tag}^{{commit}}");
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>The names of the files at the top of the tree at a tag.</summary>
    public IReadOnlyList<string> TopLevelFiles(string tag) =>
        Command("ls-tree", "--name-only", tag).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string? ReadFile(string tag, string path)
    {
        var (code, output, _) = Run("show", $"{tag}:{path}");
        return code == 0 ? output.TrimStart('\uFEFF') : null;
    }

    /// <summary>Writes the whole tree at a tag into an empty folder.</summary>
    public void ExtractTo(string tag, string folder)
    {
        Directory.CreateDirectory(folder);
        var archive = System.IO.Path.Combine(folder, ".tree.tar");
        Command("archive", "--format=tar", "-o", archive, tag);
        System.Formats.Tar.TarFile.ExtractToDirectory(archive, folder, overwriteFiles: true);
        File.Delete(archive);
    }

    /// <summary>Runs a git command in the repository and returns what it printed; throws when git fails.</summary>
    public string Command(params string[] arguments)
    {
        var (code, output, error) = Run(arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} in {Path} failed: {error.Trim()}");
        }
        return output;
    }

    private (int Code, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(Path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var git = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        var error = git.StandardError.ReadToEndAsync();
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        return (git.ExitCode, output, error.GetAwaiter().GetResult());
    }
}
