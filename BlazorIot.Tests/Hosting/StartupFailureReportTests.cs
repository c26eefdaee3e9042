using BlazorIot.Server.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;

namespace BlazorIot.Tests.Hosting;

/// <summary>What an operator reads when the server cannot start: one message, the stack trace only when asked for.</summary>
public sealed class StartupFailureReportTests
{
    // The shape Kestrel throws when another program holds the port.
    private static Exception PortTaken() => new IOException(
        "Failed to bind to address http://127.0.0.1:8080: address already in use.",
        new AddressInUseException("Address already in use"));

    [Fact]
    public void A_port_in_use_names_the_address_and_the_setting_to_change()
    {
        Assert.Equal(
            "http://127.0.0.1:8080 is already in use by another program (set another address with --urls or Urls).",
            StartupFailureReport.Describe(PortTaken(), configuration: null));
    }

    [Fact]
    public void The_report_is_one_line_and_exit_code_1_at_the_default_level()
    {
        using var error = new StringWriter();

        var code = StartupFailureReport.Write(Thrown(PortTaken()), Configuration("Information"), error);

        Assert.Equal(1, code);
        Assert.Equal(
            $"BlazorIot.Server cannot start: http://127.0.0.1:8080 is already in use by another program (set another address with --urls or Urls).{Environment.NewLine}",
            error.ToString());
    }

    [Fact]
    public void At_debug_level_the_report_adds_the_exception_with_its_stack_trace()
    {
        using var error = new StringWriter();

        StartupFailureReport.Write(Thrown(PortTaken()), Configuration("Debug"), error);

        Assert.Contains("System.IO.IOException: Failed to bind to address", error.ToString());
        Assert.Contains("   at ", error.ToString());
    }

    [Fact]
    public void Causes_are_said_once_each_after_the_message()
    {
        var failure = new InvalidOperationException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));

        Assert.Equal("Failed to connect to 127.0.0.1:5432 (Connection refused).", StartupFailureReport.Reason(failure));
    }

    private static IConfiguration Configuration(string level) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = level }).Build();

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception thrown)
        {
            return thrown;
        }
    }
}
