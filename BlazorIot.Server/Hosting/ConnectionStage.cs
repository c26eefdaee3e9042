using Microsoft.AspNetCore.Connections;

namespace BlazorIot.Server.Hosting;

/// <summary>
/// A feature's Kestrel connection handler, run on every plain-TCP endpoint before the HTTP layer
/// (in registration order); it either serves the connection or hands it on untouched.
/// </summary>
public sealed record ConnectionStage(string Name, Func<IServiceProvider, KestrelServerLimitsView, ConnectionDelegate, ConnectionDelegate> Create);
