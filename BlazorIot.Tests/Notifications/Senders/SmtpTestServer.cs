using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BlazorIot.Tests.Infrastructure;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace BlazorIot.Tests.Notifications.Senders;

/// <summary>A message the server stored, with how its session went.</summary>
public sealed record StoredMail(MimeMessage Message, IReadOnlyList<string> Recipients, bool OverTls, string? User);

/// <summary>
/// A real SMTP server in the test process (the SmtpServer library) on 127.0.0.1: STARTTLS with a
/// self-signed certificate when asked, AUTH against one user and password when asked, and
/// recipients it refuses with a given reply (550 mailbox unavailable, 451 try later, ...).
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer server;
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;
    private readonly ConcurrentQueue<StoredMail> stored = new();

    private SmtpTestServer(int port, X509Certificate2? certificate, (string User, string Password)? login, IReadOnlyDictionary<string, SmtpResponse> refused)
    {
        Port = port;
        Certificate = certificate;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)).IsSecure(false);
                if (certificate is not null)
                {
                    endpoint.Certificate(certificate);
                }
                if (login is not null)
                {
                    endpoint.AuthenticationRequired().AllowUnsecureAuthentication(certificate is null);
                }
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(stored));
        services.Add(new Filter(refused));
        if (login is { } account)
        {
            services.Add(new DelegatingUserAuthenticator((user, password) => user == account.User && password == account.Password));
        }
        server = new SmtpServer.SmtpServer(options, services);
        running = server.StartAsync(stop.Token);
    }

    public int Port { get; }

    public X509Certificate2? Certificate { get; }

    public IReadOnlyList<StoredMail> Stored => [.. stored];

    /// <param name="startTls">Offers STARTTLS with a self-signed certificate for localhost.</param>
    /// <param name="login">Requires AUTH with this user and password.</param>
    /// <param name="refused">Recipients refused at RCPT TO, and the reply each gets.</param>
    public static async Task<SmtpTestServer> StartAsync(
        bool startTls, (string User, string Password)? login = null, IReadOnlyDictionary<string, SmtpResponse>? refused = null)
    {
        var server = new SmtpTestServer(FreePort(), startTls ? SelfSigned() : null, login, refused ?? new Dictionary<string, SmtpResponse>());
        await Eventually.TrueAsync(() => server.AcceptsAsync(), "the SMTP server listens");
        return server;
    }

    /// <summary>A loopback port nothing listens on (taken from the system, then let go).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<bool> AcceptsAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // SslStream on a server wants a key it can use as a whole; a PKCS#12 round trip gives it one.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        server.Shutdown();
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // Stopping is what was asked.
        }
        stop.Dispose();
        Certificate?.Dispose();
    }

    private sealed class Store(ConcurrentQueue<StoredMail> stored) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            stored.Enqueue(new StoredMail(
                message,
                [.. transaction.To.Select(mailbox => mailbox.AsAddress())],
                context.Pipe.IsSecure,
                context.Authentication.IsAuthenticated ? context.Authentication.User : null));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(IReadOnlyDictionary<string, SmtpResponse> refused) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            refused.TryGetValue(to.AsAddress(), out var reply) ? throw new SmtpResponseException(reply) : Task.FromResult(true);
    }
}
