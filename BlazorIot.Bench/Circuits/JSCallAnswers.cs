namespace BlazorIot.Bench.Circuits;

/// <summary>
/// What a circuit client answers to the server's JS interop calls, as blazor.web.js would for the
/// dashboard's: a module import gets a fresh object reference, every other call completes empty.
/// </summary>
internal sealed class JSCallAnswers
{
    private const int JSObjectReferenceResult = 1;
    private long nextObjectId;

    /// <summary>The EndInvokeJSFromDotNet argument for the call <paramref name="asyncHandle"/>.</summary>
    public string For(long asyncHandle, int resultType)
    {
        var result = resultType == JSObjectReferenceResult
            ? $"{{\"__jsObjectId\":{Interlocked.Increment(ref nextObjectId)}}}"
            : "null";
        return $"[{asyncHandle},true,{result}]";
    }
}
