using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace BlazorIot.Bench.Circuits;

/// <summary>
/// Blazor Server's hub speaks only "blazorpack", which is SignalR's MessagePack protocol under
/// another name; this hands the .NET client's MessagePack protocol that name.
/// </summary>
internal sealed class BlazorPackProtocol(IHubProtocol messagePack) : IHubProtocol
{
    public string Name => "blazorpack";

    public int Version => messagePack.Version;

    public TransferFormat TransferFormat => TransferFormat.Binary;

    public bool IsVersionSupported(int version) => messagePack.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message) =>
        messagePack.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => messagePack.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => messagePack.GetMessageBytes(message);
}
