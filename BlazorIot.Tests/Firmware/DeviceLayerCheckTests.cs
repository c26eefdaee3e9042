using BlazorIot.Firmware.DeviceCheck;

namespace BlazorIot.Tests.Firmware;

public sealed class DeviceLayerCheckTests
{
    private const string NetV1 = """
        namespace Fake.Net
        {
            public sealed class Address
            {
                public string Text { get { return "0.0.0.0"; } }
            }
        }
        """;

    private const string NetV2 = """
        namespace Fake.Net
        {
            public sealed class Address
            {
                public string Text { get { return "0.0.0.0"; } }

                public int Family { get { return 2; } }
            }
        }
        """;

    private const string Wifi = """
        namespace Fake.Wifi
        {
            public static class Link
            {
                public static Fake.Net.Address Current() { return new Fake.Net.Address(); }
            }
        }
        """;

    private const string Board = """
        namespace Board
        {
            public static class Program
            {
                public static void Main()
                {
                    string text = Fake.Wifi.Link.Current().Text;
                    System.Diagnostics.Debug.WriteLine(text);
                }
            }
        }
        """;

    private static string Mscorlib => NanoCompilation.MscorlibPath;

    [Fact]
    public void A_set_that_fits_together_compiles_against_libraries_built_and_versioned_from_their_tags()
    {
        using var sources = new NanoSources();
        var netV1 = sources.Release("Fake.Net", "nanoFramework.Fake.Net", "Fake.Net", "1.0.1", "revision", new Dictionary<string, string> { ["Address.cs"] = NetV1 });
        var netV2 = sources.Release("Fake.Net", "nanoFramework.Fake.Net", "Fake.Net", "1.0.2", "revision", new Dictionary<string, string> { ["Address.cs"] = NetV2 });
        sources.Release("Fake.Wifi", "nanoFramework.Fake.Wifi", "Fake.Wifi", "1.0.5", "build", new Dictionary<string, string> { ["Link.cs"] = Wifi }, ("nanoFramework.Fake.Net", "1.0.2", "Fake.Net"));
        sources.Firmware(
            new Dictionary<string, string> { ["Program.cs"] = Board },
            [("nanoFramework.Fake.Net", "1.0.2", "Fake.Net"), ("nanoFramework.Fake.Wifi", "1.0.5", "Fake.Wifi")],
            [("nanoFramework.CoreLibrary", "1.17.11"), ("nanoFramework.Fake.Net", "1.0.2"), ("nanoFramework.Fake.Wifi", "1.0.5")]);

        var report = DeviceLayerCheck.Run(sources.FirmwareFolder, sources.SourcesFolder, Mscorlib);

        Assert.True(report.Passed, string.Join('\n', report.Problems));
        Assert.Equal((1, 0, 0), (report.SourceFiles, report.Errors, report.Warnings));
        // Nerdbank.GitVersioning's "revision" precision: the fourth part is the commit id's first two bytes.
        var net = Assert.Single(report.Libraries, l => l.Package.Id == "nanoFramework.Fake.Net");
        Assert.StartsWith($"Fake.Net, Version=1.0.2.{Convert.ToInt32(netV2[..4], 16)}, Culture=neutral, PublicKeyToken=", net.Identity, StringComparison.Ordinal);
        Assert.NotEqual(netV1[..4], netV2[..4]);
        Assert.Contains(report.Libraries, l => l.Identity.StartsWith("Fake.Wifi, Version=1.0.5.0,", StringComparison.Ordinal));
    }

    [Fact]
    public void A_library_built_against_a_newer_dependency_than_the_one_pinned_fails_as_the_real_toolchain_does()
    {
        using var sources = new NanoSources();
        sources.Release("Fake.Net", "nanoFramework.Fake.Net", "Fake.Net", "1.0.1", "build", new Dictionary<string, string> { ["Address.cs"] = NetV1 });
        sources.Release("Fake.Net", "nanoFramework.Fake.Net", "Fake.Net", "1.0.2", "build", new Dictionary<string, string> { ["Address.cs"] = NetV2 });
        sources.Release("Fake.Wifi", "nanoFramework.Fake.Wifi", "Fake.Wifi", "1.0.5", "build", new Dictionary<string, string> { ["Link.cs"] = Wifi }, ("nanoFramework.Fake.Net", "1.0.2", "Fake.Net"));
        sources.Firmware(
            new Dictionary<string, string> { ["Program.cs"] = Board },
            [("nanoFramework.Fake.Net", "1.0.1", "Fake.Net"), ("nanoFramework.Fake.Wifi", "1.0.5", "Fake.Wifi")],
            [("nanoFramework.CoreLibrary", "1.17.11"), ("nanoFramework.Fake.Net", "1.0.1"), ("nanoFramework.Fake.Wifi", "1.0.5")]);

        var report = DeviceLayerCheck.Run(sources.FirmwareFolder, sources.SourcesFolder, Mscorlib);

        Assert.False(report.Passed);
        Assert.Contains(report.Problems, p => p.Contains("CS1705", StringComparison.Ordinal) && p.Contains("Fake.Net, Version=1.0.2.0", StringComparison.Ordinal));
        Assert.Contains("nanoFramework.Fake.Wifi 1.0.5 was built against nanoFramework.Fake.Net 1.0.2, but packages.config pins 1.0.1.", report.Problems);
        Assert.Contains("nanoFramework.Fake.Wifi 1.0.5 depends on nanoFramework.Fake.Net >= 1.0.2 (its nuspec), but packages.config pins 1.0.1.", report.Problems);
    }

    [Fact]
    public void Members_the_library_lacks_warnings_generics_and_pins_that_disagree_are_each_reported()
    {
        using var sources = new NanoSources();
        sources.Release("Fake.Net", "nanoFramework.Fake.Net", "Fake.Net", "1.0.1", "build", new Dictionary<string, string> { ["Address.cs"] = NetV1 });
        const string Sloppy = """
            namespace Board
            {
                public static class Program
                {
                    public static void Main()
                    {
                        int unused;
                        Fake.Net.Address address = new Fake.Net.Address();
                        System.Diagnostics.Debug.WriteLine(address.Family.ToString());
                    }

                    public static T Same<T>(T value) { return value; }
                }
            }
            """;
        sources.Firmware(
            new Dictionary<string, string> { ["Program.cs"] = Sloppy },
            [("nanoFramework.Fake.Net", "1.0.1", "Fake.Net")],
            [("nanoFramework.CoreLibrary", "1.17.11"), ("nanoFramework.Fake.Net", "1.0.2"), ("nanoFramework.Fake.Text", "1.0.0")]);

        var report = DeviceLayerCheck.Run(sources.FirmwareFolder, sources.SourcesFolder, Mscorlib);

        Assert.False(report.Passed);
        Assert.Contains(report.Problems, p => p.StartsWith("Program.cs(9): error CS1061", StringComparison.Ordinal) && p.Contains("Family", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith("Program.cs(7): warning CS0168", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith("Program.cs(12): generics are not supported", StringComparison.Ordinal));
        Assert.Contains("Board.nfproj references nanoFramework.Fake.Net 1.0.1, but packages.config pins 1.0.2.", report.Problems);
        Assert.Contains("packages.config lists nanoFramework.Fake.Text 1.0.0, which Board.nfproj does not reference.", report.Problems);
        Assert.Equal(1, report.Warnings);
    }

    [Fact]
    public void A_package_whose_sources_are_missing_is_named_with_the_tag_it_needs()
    {
        using var sources = new NanoSources();
        sources.Release("Fake.Net", "nanoFramework.Fake.Net", "Fake.Net", "1.0.1", "build", new Dictionary<string, string> { ["Address.cs"] = NetV1 });
        sources.Firmware(
            new Dictionary<string, string> { ["Program.cs"] = Board },
            [("nanoFramework.Fake.Wifi", "1.0.5", "Fake.Wifi")],
            [("nanoFramework.CoreLibrary", "1.17.11"), ("nanoFramework.Fake.Wifi", "1.0.5")]);

        var report = DeviceLayerCheck.Run(sources.FirmwareFolder, sources.SourcesFolder, Mscorlib);

        Assert.Contains("nanoFramework.Fake.Wifi 1.0.5: no repository under the sources folder has tag v1.0.5 with a nuspec for nanoFramework.Fake.Wifi.", report.Problems);
        Assert.False(report.Passed);
    }

    [Fact]
    public void The_firmware_project_and_its_packages_config_pin_the_same_packages()
    {
        var firmware = FirmwareFolder();
        var project = NanoProject.Load(Path.Combine(firmware, "BlazorIot.Firmware.nfproj"));
        var pins = PackagesConfig.Read(File.ReadAllText(Path.Combine(firmware, "packages.config")));

        Assert.Empty(project.UnresolvedReferences);
        Assert.Equal(pins.OrderBy(p => p.Id), project.References.Select(r => r.Package).OrderBy(p => p.Id));
        var compiled = project.Sources.Select(s => Path.GetRelativePath(firmware, s)).Order(StringComparer.Ordinal);
        var onDisk = Directory.GetFiles(Path.Combine(firmware, "Core"), "*.cs").Concat(Directory.GetFiles(Path.Combine(firmware, "Device"), "*.cs"))
            .Select(s => Path.GetRelativePath(firmware, s)).Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, compiled);
    }

    [SkippableFact]
    public void The_device_layer_compiles_clean_against_nanoframeworks_own_sources()
    {
        var sources = Environment.GetEnvironmentVariable("NANOFRAMEWORK_SOURCES");
        // Not even under CI=true: CI cannot download nanoFramework's repositories. check-device.sh runs the same check by hand.
        Skip.If(string.IsNullOrEmpty(sources), "NANOFRAMEWORK_SOURCES is not set: clone nanoFramework's library repositories (BlazorIot.Firmware/README.md) to run the device-layer check.");

        var report = DeviceLayerCheck.Run(FirmwareFolder(), sources!, Mscorlib);

        using var output = new StringWriter();
        report.WriteTo(output);
        Assert.True(report.Passed, output.ToString());
    }

    private static string FirmwareFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "BlazorIot.Firmware");
            if (File.Exists(Path.Combine(candidate, "BlazorIot.Firmware.nfproj")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("BlazorIot.Firmware is not above the test's folder.");
    }
}
