using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BlazorIot.Server.Hosting;

/// <summary>
/// A feature's Kestrel connection handler, run on every plain-TCP endpoint before the HTTP layer
/// (in registration order); it either serves the connection or hands it on untouched.
/// </summary>
public sealed record ConnectionStage(Func<IServiceProvider, KestrelServerLimits, ConnectionDelegate, ConnectionDelegate> Create);
