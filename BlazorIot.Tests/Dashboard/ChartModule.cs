using BlazorIot.Shared.Charts;
using Bunit;

namespace BlazorIot.Tests.Dashboard;

internal static class ChartModule
{
    /// <summary>Strict JS interop with LineChart's module set up; returns it for verification.</summary>
    public static BunitJSModuleInterop Setup(BunitContext context)
    {
        context.JSInterop.Mode = JSRuntimeMode.Strict;
        var module = context.JSInterop.SetupModule(LineChart.ModulePath);
        foreach (var function in new[] { "createChart", "destroyChart", "replaceSeries", "setThresholds", "resetZoom" })
        {
            module.SetupVoid(function, _ => true).SetVoidResult();
        }
        return module;
    }
}
