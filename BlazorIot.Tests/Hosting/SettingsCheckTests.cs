using BlazorIot.Server.Dashboard;
using BlazorIot.Server.Hosting;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Mqtt;
using BlazorIot.Server.Security;
using BlazorIot.Server.Storage;
using BlazorIot.Server.Streaming;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Hosting;

/// <summary>The settings check an operator meets before the server opens anything: every bad value, each on its own line.</summary>
public sealed class SettingsCheckTests
{
    [Fact]
    public void Every_bad_value_in_every_section_is_reported_at_once_with_its_full_name()
    {
        using var services = Services(new()
        {
            ["Ingest:MaxBatch"] = "lots",
            ["Ingest:RequireKey"] = "maybe",
            ["Streaming:StalledClientTimeout"] = "00:00:00",
            ["Storage:Provider"] = "7",
        });

        var problems = Assert.Throws<InvalidSettingsException>(() => SettingsCheck.ThrowIfInvalid(services)).Problems;

        Assert.Equal(
            [
                "Ingest:MaxBatch is \"lots\"; allowed: a whole number from 1 to 100000.",
                "Ingest:RequireKey is \"maybe\"; allowed: true or false.",
                "Streaming:StalledClientTimeout is \"00:00:00\"; allowed: a time span (d.hh:mm:ss) from 00:00:01 to 01:00:00.",
                "Storage:Provider is \"7\"; allowed: sqlite or postgres.",
            ],
            problems);
    }

    [Fact]
    public void Both_settings_types_of_a_shared_section_are_checked()
    {
        var problems = ProblemsOf(
            new() { ["Dashboard:SignInAttemptsPerMinute"] = "0", ["Dashboard:DisconnectedCircuitRetention"] = "banana" },
            (services, _) =>
            {
                services.AddValidatedSettings<ViewerOptions>(ViewerOptions.Section);
                services.AddValidatedSettings<DashboardConnectionOptions>(DashboardConnectionOptions.Section);
            });

        Assert.Equal(
            [
                "Dashboard:SignInAttemptsPerMinute is \"0\"; allowed: a whole number from 1 to 100000.",
                "Dashboard:DisconnectedCircuitRetention is \"banana\"; allowed: a time span (d.hh:mm:ss) from 00:00:01 to 01:00:00.",
            ],
            problems);
    }

    [Fact]
    public void A_user_role_that_is_neither_viewer_nor_admin_is_named()
    {
        var problems = ProblemsOf(
            new()
            {
                ["Dashboard:Users:0:Name"] = "vera",
                ["Dashboard:Users:0:PasswordHash"] = "hash",
                ["Dashboard:Users:1:Name"] = "ada",
                ["Dashboard:Users:1:PasswordHash"] = "hash",
                ["Dashboard:Users:1:Role"] = "Admin",
                ["Dashboard:Users:2:Name"] = "bob",
                ["Dashboard:Users:2:PasswordHash"] = "hash",
                ["Dashboard:Users:2:Role"] = "owner",
            },
            (services, configuration) => services.AddViewerSignIn(configuration));

        Assert.Equal(["Dashboard:Users:2:Role is \"owner\"; allowed: viewer or admin."], problems);
    }

    [Fact]
    public void A_proxy_address_that_is_not_an_address_is_named()
    {
        var problems = ProblemsOf(
            new() { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1", ["ForwardedHeaders:KnownProxies:1"] = "proxy.lan" },
            (services, configuration) => services.AddProxyAndCors(configuration));

        Assert.Equal(["ForwardedHeaders:KnownProxies:1 is \"proxy.lan\"; allowed: an IP address such as 127.0.0.1 or ::1."], problems);
    }

    private static IReadOnlyList<string> ProblemsOf(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> register)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        register(collection, configuration);
        using var services = collection.BuildServiceProvider();
        return Assert.Throws<InvalidSettingsException>(() => SettingsCheck.ThrowIfInvalid(services)).Problems;
    }

    [Fact]
    public void A_rule_that_spans_settings_is_reported_with_the_others()
    {
        using var services = Services(new() { ["Storage:Provider"] = "postgres", ["Storage:RetentionBatch"] = "1" });

        var problems = Assert.Throws<InvalidSettingsException>(() => SettingsCheck.ThrowIfInvalid(services)).Problems;

        Assert.Equal(
            [
                "Storage:RetentionBatch is \"1\"; allowed: a whole number from 10 to 100000.",
                "Storage:Provider is postgres: set ConnectionStrings:Postgres.",
            ],
            problems);
    }

    [Fact]
    public void Broker_mode_without_a_broker_address_or_with_a_bad_one_is_reported_with_the_others()
    {
        Assert.Equal(
            [
                "Mqtt:SessionExpiry is \"00:00:10\"; allowed: a time span (d.hh:mm:ss) from 00:01:00 to 49710.00:00:00.",
                "Mqtt:Mode is broker: set ConnectionStrings:Mqtt (mqtt://user:password@host:1883).",
            ],
            MqttProblemsOf(new() { ["Mqtt:Mode"] = "broker", ["Mqtt:SessionExpiry"] = "00:00:10" }));
        Assert.Equal(
            ["ConnectionStrings:Mqtt is not an MQTT broker address: mqtt://user:password@host:1883 (port 1883 when left out; user and password optional, URL-encoded)."],
            MqttProblemsOf(new() { ["Mqtt:Mode"] = "Broker", ["ConnectionStrings:Mqtt"] = "http://user:secret@broker:1883" }));
        Assert.Empty(MqttProblemsOf(new() { ["Mqtt:Mode"] = "broker", ["ConnectionStrings:Mqtt"] = "mqtt://user:secret@broker" }));
        // Only broker mode needs the address.
        Assert.Empty(MqttProblemsOf(new() { ["Mqtt:Mode"] = "off", ["ConnectionStrings:Mqtt"] = "nonsense" }));
    }

    private static IReadOnlyList<string> MqttProblemsOf(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMqtt();
        using var services = builder.Services.BuildServiceProvider();
        try
        {
            SettingsCheck.ThrowIfInvalid(services);
            return [];
        }
        catch (InvalidSettingsException exception)
        {
            return exception.Problems;
        }
    }

    [Fact]
    public void A_log_level_that_is_not_a_level_is_named_before_the_host_is_built()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "loud",
            ["Logging:Console:LogLevel:Microsoft"] = "Warning",
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss ",
        }).Build();

        var problems = Assert.Throws<InvalidSettingsException>(() => SettingsCheck.ThrowIfLogLevelsInvalid(configuration)).Problems;

        Assert.Equal(["Logging:LogLevel:Default is \"loud\"; allowed: trace, debug, information, warning, error, critical or none."], problems);
    }

    [Fact]
    public void Valid_settings_pass()
    {
        using var services = Services(new() { ["Ingest:MaxBatch"] = "500", ["Storage:Provider"] = "SQLite", ["Storage:Retention"] = "7.00:00:00" });

        SettingsCheck.ThrowIfInvalid(services);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddIngest();
        services.AddStreaming();
        services.AddStorage(configuration);
        return services.BuildServiceProvider();
    }
}
