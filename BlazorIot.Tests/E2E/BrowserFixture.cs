using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

/// <summary>
/// One headless Debian Chromium for all browser tests, driven by Playwright. Playwright never
/// downloads a browser here. Without Chromium the tests are skipped, except under CI=true.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? playwright;

    public IBrowser? Browser { get; private set; }

    /// <summary>Why there is no browser, when there is none.</summary>
    public string? Unavailable { get; private set; }

    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where screenshots go: artifacts/e2e at the repository root.</summary>
    public static string ArtifactsDirectory
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BlazorIot.sln")))
            {
                directory = directory.Parent;
            }
            var path = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "artifacts", "e2e");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Unavailable = $"Chromium is not installed at {ChromiumPath} (apt-get install -y chromium).";
            return;
        }
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>Skips the calling test when there is no browser; fails it on CI, where the browser is required.</summary>
    public IBrowser RequireBrowser()
    {
        if (Browser is not null)
        {
            return Browser;
        }
        if (OnCi)
        {
            Assert.Fail(Unavailable + " Browser tests are required under CI=true.");
        }
        Skip.If(true, Unavailable + " Browser tests are skipped.");
        throw new InvalidOperationException("unreachable");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
