using BlazorIot.Server.Dashboard.Pages;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Dashboard;

public sealed class ConnectTests : BunitContext
{
    [Fact]
    public void Every_snippet_uses_the_address_the_browser_reached_the_server_by()
    {
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        JSInterop.Mode = JSRuntimeMode.Strict;

        var cut = Render<Connect>();

        var snippets = cut.FindAll("pre").Select(p => p.TextContent).ToArray();
        Assert.Equal("http://localhost/", navigation.BaseUri);
        Assert.Equal(6, snippets.Length);
        Assert.All(snippets, s => Assert.Contains("http://localhost", s));
        Assert.Contains(snippets, s => s.Contains("url = \"http://localhost/luminosity/%s\"", StringComparison.Ordinal));
        Assert.Contains(snippets, s => s.Contains("settings.ServerUrl = \"http://localhost\";", StringComparison.Ordinal));
        Assert.Equal(6, cut.FindAll("button").Count);
    }
}
