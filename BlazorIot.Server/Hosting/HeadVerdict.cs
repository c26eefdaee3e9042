namespace BlazorIot.Server.Hosting;

/// <summary>What a connection handler makes of the bytes a request has sent so far.</summary>
internal enum HeadVerdict
{
    /// <summary>Not a request it serves (or not certainly): Kestrel's HTTP layer serves it.</summary>
    Pass,

    /// <summary>A prefix of one it serves so far: wait for more bytes.</summary>
    NeedMore,

    /// <summary>One it serves, whole.</summary>
    Claim,
}
