using BlazorIot.Firmware.DeviceCheck;

// check-device.sh runs this: exit 0 when the device layer compiles clean, 1 when it does not, 2 when it cannot run.
var sources = Environment.GetEnvironmentVariable("NANOFRAMEWORK_SOURCES");
var firmware = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--sources":
            sources = args[++i];
            break;
        case "--firmware":
            firmware = args[++i];
            break;
    }
}
if (string.IsNullOrWhiteSpace(sources))
{
    Console.Error.WriteLine("Set NANOFRAMEWORK_SOURCES (or pass --sources DIR) to a folder of nanoFramework's library repositories; BlazorIot.Firmware/README.md says which to clone.");
    return 2;
}

var mscorlib = Path.Combine(AppContext.BaseDirectory, "nanoFramework", "mscorlib.dll");
var report = DeviceLayerCheck.Run(Path.GetFullPath(firmware), Path.GetFullPath(sources), mscorlib);
report.WriteTo(Console.Out);
return report.Passed ? 0 : 1;
