using System.Buffers;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Home Assistant's MQTT discovery config for a sensor (one "single component" config per sensor,
/// <c>homeassistant/sensor/{object id}/config</c>), with the full option names Home Assistant documents.
/// </summary>
/// <remarks>
/// Every sensor belongs to one device, "BlazorIot": the identifiers do not depend on the instance,
/// so several instances behind one broker send the same config and Home Assistant sees one device.
/// </remarks>
public static class HomeAssistantDiscovery
{
    public const string Prefix = "homeassistant";
    public const string ObjectIdPrefix = "blazoriot_";
    public const string DeviceIdentifier = "blazoriot";
    public const string DeviceName = "BlazorIot";
    public const string Manufacturer = "BlazorIot";
    public const string Model = "BlazorIot server";
    public const string PayloadAvailable = "online";
    public const string PayloadNotAvailable = "offline";

    /// <summary>The server's version (without the source revision), for the device and origin blocks.</summary>
    public static readonly string Version = VersionOf(typeof(HomeAssistantDiscovery).Assembly);

    // Units such as "°C" stay readable in the payload; it is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The sensor's object id and unique id. Home Assistant allows only <c>[a-zA-Z0-9_-]</c> in a
    /// discovery topic; sensor ids are lower case and may hold '.', so a '.' becomes "_D_" (it holds an
    /// upper-case letter no sensor id can, so two sensors never share an object id).
    /// </summary>
    public static string ObjectId(string sensor) => ObjectIdPrefix + sensor.Replace(".", "_D_", StringComparison.Ordinal);

    public static string ConfigTopic(string sensor) => $"{Prefix}/sensor/{ObjectId(sensor)}/config";

    /// <summary>The config of one sensor: its display name and unit when the dashboard has them, else its id and no unit.</summary>
    public static byte[] Config(string sensor, string? name, string? unit)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("name", string.IsNullOrWhiteSpace(name) ? sensor : name);
            json.WriteString("unique_id", ObjectId(sensor));
            json.WriteString("state_topic", MqttTopics.State(sensor));
            if (!string.IsNullOrWhiteSpace(unit))
            {
                json.WriteString("unit_of_measurement", unit);
            }
            // Readings are measurements in the present: Home Assistant keeps long-term statistics of them.
            json.WriteString("state_class", "measurement");
            json.WriteString("availability_topic", MqttTopics.Availability);
            json.WriteString("payload_available", PayloadAvailable);
            json.WriteString("payload_not_available", PayloadNotAvailable);
            json.WriteStartObject("device");
            json.WriteStartArray("identifiers");
            json.WriteStringValue(DeviceIdentifier);
            json.WriteEndArray();
            json.WriteString("name", DeviceName);
            json.WriteString("manufacturer", Manufacturer);
            json.WriteString("model", Model);
            json.WriteString("sw_version", Version);
            json.WriteEndObject();
            json.WriteStartObject("origin");
            json.WriteString("name", DeviceName);
            json.WriteString("sw_version", Version);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string VersionOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
