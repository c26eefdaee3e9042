using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorIot.Server.Sensors;

/// <summary>
/// The body of <c>PUT /api/sensors/{id}</c>: how the dashboard names the sensor, its unit, how many
/// decimals it shows, and a longer description. A PUT replaces all four: a field left out is cleared.
/// </summary>
public sealed record SensorDescription(
    [property: JsonPropertyName("name")] string? Name = null,
    [property: JsonPropertyName("unit")] string? Unit = null,
    [property: JsonPropertyName("decimals")] int? Decimals = null,
    [property: JsonPropertyName("description")] string? Description = null)
{
    public const int MaxNameLength = 100;
    public const int MaxUnitLength = 16;
    public const int MaxDecimals = 6;
    public const int MaxDescriptionLength = 500;

    /// <summary>
    /// Reads and checks a body, every field at once: each problem goes into <paramref name="errors"/>
    /// under its field's name. Texts are trimmed (blank: none) and a description's line breaks become
    /// <c>\n</c>. Null when anything is wrong.
    /// </summary>
    public static SensorDescription? Parse(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["The body is a JSON object: {\"name\": \"...\", \"unit\": \"...\", \"decimals\": 1, \"description\": \"...\"}."];
            return null;
        }
        var before = errors.Count;
        var name = Text(body, "name", errors, MaxNameLength, lineBreaks: false);
        var unit = Text(body, "unit", errors, MaxUnitLength, lineBreaks: false);
        var description = Text(body, "description", errors, MaxDescriptionLength, lineBreaks: true);
        int? decimals = null;
        if (body.TryGetProperty("decimals", out var element) && element.ValueKind != JsonValueKind.Null)
        {
            if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) && value is >= 0 and <= MaxDecimals)
            {
                decimals = value;
            }
            else
            {
                errors["decimals"] = [DecimalsRule];
            }
        }
        return errors.Count == before ? new SensorDescription(name, unit, decimals, description) : null;
    }

    /// <summary>
    /// Checks a description typed in the dashboard by the same rules as the API's body: each problem
    /// goes into <paramref name="errors"/> under its field's name. The cleaned description, or null when anything is wrong.
    /// </summary>
    public static SensorDescription? Check(SensorDescription draft, Dictionary<string, string[]> errors)
    {
        var before = errors.Count;
        var name = Clean(draft.Name, "name", errors, MaxNameLength, lineBreaks: false);
        var unit = Clean(draft.Unit, "unit", errors, MaxUnitLength, lineBreaks: false);
        var description = Clean(draft.Description, "description", errors, MaxDescriptionLength, lineBreaks: true);
        if (draft.Decimals is < 0 or > MaxDecimals)
        {
            errors["decimals"] = [DecimalsRule];
        }
        return errors.Count == before ? new SensorDescription(name, unit, draft.Decimals, description) : null;
    }

    private static string DecimalsRule => string.Create(CultureInfo.InvariantCulture, $"decimals is a whole number from 0 to {MaxDecimals}, or null (as many as the value needs).");

    private static string? Text(JsonElement body, string field, Dictionary<string, string[]> errors, int maxLength, bool lineBreaks)
    {
        if (!body.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            errors[field] = [Rule(field, maxLength, lineBreaks)];
            return null;
        }
        return Clean(element.GetString(), field, errors, maxLength, lineBreaks);
    }

    private static string? Clean(string? text, string field, Dictionary<string, string[]> errors, int maxLength, bool lineBreaks)
    {
        if (text is null)
        {
            return null;
        }
        if (lineBreaks)
        {
            text = text.ReplaceLineEndings("\n");
        }
        text = text.Trim();
        if (text.Length > maxLength || text.Any(c => char.IsControl(c) && !(lineBreaks && c == '\n')))
        {
            errors[field] = [Rule(field, maxLength, lineBreaks)];
            return null;
        }
        return text.Length == 0 ? null : text;
    }

    private static string Rule(string field, int maxLength, bool lineBreaks) => lineBreaks
        ? $"The {field} is a string of at most {maxLength} characters; line breaks are allowed, other control characters are not."
        : $"The {field} is a string of at most {maxLength} characters, without control characters.";
}
