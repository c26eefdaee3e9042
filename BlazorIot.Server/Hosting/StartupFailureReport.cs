using System.Text.RegularExpressions;
using BlazorIot.Server.Mqtt;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Hosting;

/// <summary>
/// Tells the operator why the server or a command could not start: one message on standard error,
/// the exception with its stack trace only when <c>Logging:LogLevel:Default</c> is Debug or Trace,
/// and the conventional exit code 1.
/// </summary>
public static partial class StartupFailureReport
{
    public const int ExitCode = 1;

    public static int Write(Exception exception, IConfiguration? configuration, TextWriter error)
    {
        error.WriteLine($"BlazorIot.Server cannot start: {Describe(exception, configuration)}");
        if (Enum.TryParse<LogLevel>(configuration?["Logging:LogLevel:Default"], ignoreCase: true, out var level) && level <= LogLevel.Debug)
        {
            error.WriteLine(exception);
        }
        error.Flush();
        return ExitCode;
    }

    public static string Describe(Exception exception, IConfiguration? configuration) => exception switch
    {
        AggregateException aggregate => string.Join(Environment.NewLine, aggregate.Flatten().InnerExceptions.Select(inner => Describe(inner, configuration)).Distinct()),
        StartupException => exception.Message,
        OptionsValidationException validation => $"settings are not valid: {string.Join(" ", validation.Failures)}",
        _ when Causes(exception).OfType<AddressInUseException>().Any() => AddressInUse(exception, configuration),
        // The binder's own message names the key, the value and the type; its causes only repeat them.
        InvalidOperationException when exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => exception.Message,
        FormatException when exception.Message.StartsWith("Invalid url", StringComparison.Ordinal) =>
            $"{exception.Message.TrimEnd('.')} (set the addresses to listen on, such as http://0.0.0.0:8080, with --urls or Urls).",
        _ => Reason(exception),
    };

    /// <summary>The messages along an exception's causes, each said once: "Failed to connect to 127.0.0.1:5432 (Connection refused)."</summary>
    public static string Reason(Exception exception)
    {
        var messages = new List<string>();
        foreach (var message in Causes(exception).Select(cause => cause.Message.Trim().TrimEnd('.')))
        {
            if (message.Length > 0 && !messages.Any(said => said.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }
        return messages.Count > 1 ? $"{messages[0]} ({string.Join("; ", messages.Skip(1))})." : $"{messages.FirstOrDefault()}.";
    }

    private static string AddressInUse(Exception exception, IConfiguration? configuration)
    {
        // Kestrel names the address it could not bind in the message around the socket's.
        var address = Causes(exception).Select(cause => BindFailure().Match(cause.Message)).FirstOrDefault(match => match.Success)?.Groups["address"].Value
            ?? configuration?["urls"]
            ?? "the address";
        if (IsMqttPort(address, configuration))
        {
            return $"{address} is already in use by another program: it is the embedded MQTT broker's port, Mqtt:Port "
                + "(set another port with --Mqtt:Port=PORT, 0 for any free one, or turn the broker off with --Mqtt:Mode=off).";
        }
        return $"{address} is already in use by another program (set another address with --urls or Urls).";
    }

    // The broker's TCP endpoint is bound by Kestrel as well, so its failure reads like an HTTP address's:
    // it is the broker's when its port is Mqtt:Port (1883 unless set) and no HTTP address names that port.
    private static bool IsMqttPort(string address, IConfiguration? configuration)
    {
        if (configuration is null || MqttServiceCollectionExtensions.ModeOf(configuration) != MqttMode.Embedded
            || !Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return false;
        }
        var setting = configuration[$"{MqttOptions.Section}:{nameof(MqttOptions.Port)}"];
        var mqttPort = setting is null ? 1883 : int.TryParse(setting, out var port) ? port : -1;
        var httpPorts = (configuration["urls"] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var http) ? http.Port : -1);
        return uri.Port == mqttPort && !httpPorts.Contains(mqttPort);
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    [GeneratedRegex(@"Failed to bind to address (?<address>\S+?): address already in use")]
    private static partial Regex BindFailure();
}
