using BlazorIot.Tests.E2E;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>Debian's Mosquitto broker and clients, which the MQTT tests drive as a user would.</summary>
public static class MosquittoTools
{
    public const string Broker = "/usr/sbin/mosquitto";
    public const string Publish = "/usr/bin/mosquitto_pub";
    public const string Subscribe = "/usr/bin/mosquitto_sub";

    /// <summary>Skips the test on a machine without them, and fails it on CI, whose script installs them.</summary>
    public static void SkipUnlessInstalled()
    {
        var missing = new[] { Broker, Publish, Subscribe }.Where(path => !File.Exists(path)).ToList();
        Skip.If(missing.Count > 0 && !BrowserFixture.OnCi,
            $"{string.Join(", ", missing)} missing: apt-get install -y mosquitto mosquitto-clients (bash .ci/run does).");
    }
}
