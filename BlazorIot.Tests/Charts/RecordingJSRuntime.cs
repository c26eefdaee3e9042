using Microsoft.JSInterop;

namespace BlazorIot.Tests.Charts;

/// <summary>
/// Passes every call to bUnit's JS runtime and wraps imported modules, so a test can see that a
/// component disposed its module (bUnit's own module references do not record that).
/// </summary>
internal sealed class RecordingJSRuntime(IJSRuntime inner) : IJSRuntime
{
    public List<RecordingModule> Modules { get; } = [];

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
        InvokeAsync<TValue>(identifier, CancellationToken.None, args);

    public async ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
    {
        var result = await inner.InvokeAsync<TValue>(identifier, cancellationToken, args);
        if (result is IJSObjectReference module)
        {
            var recording = new RecordingModule(module);
            Modules.Add(recording);
            return (TValue)(object)recording;
        }
        return result;
    }

    internal sealed class RecordingModule(IJSObjectReference inner) : IJSObjectReference
    {
        public bool Disposed { get; private set; }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => inner.InvokeAsync<TValue>(identifier, args);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            inner.InvokeAsync<TValue>(identifier, cancellationToken, args);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return inner.DisposeAsync();
        }
    }
}
