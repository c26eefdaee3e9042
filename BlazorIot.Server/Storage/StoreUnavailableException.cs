namespace BlazorIot.Server.Storage;

/// <summary>The store could not take readings (stopping, or the commit failed); nothing of the request was stored.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
