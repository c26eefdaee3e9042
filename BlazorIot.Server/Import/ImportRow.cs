namespace BlazorIot.Server.Import;

/// <summary>One checked row of an imported file, as it is spooled and stored: times in Unix milliseconds.</summary>
/// <param name="Received">When the server first received the reading (the file's <c>received</c> column), or the import's time.</param>
public readonly record struct ImportRow(long Timestamp, double Value, long Received, long? DeviceId);
