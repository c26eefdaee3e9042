using System.Net;
using System.Net.Http.Json;
using BlazorIot.Server.Security;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Security;

public sealed class ViewerSignInTests
{
    private static readonly Dictionary<string, string?> Protected = new()
    {
        ["Dashboard:Password"] = "open sesame",
        ["Dashboard:Users:0:Name"] = "ada",
        ["Dashboard:Users:0:PasswordHash"] = ViewerSignIn.Hash("analytical engine"),
    };

    [Fact]
    public async Task With_a_password_pages_redirect_to_sign_in_reads_get_401_and_devices_still_ingest()
    {
        await using var server = LiveServer.Start(settings: Protected);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        foreach (var page in new[] { "/", "/sensors/a", "/contenu/index.html", "/scalar/" })
        {
            using var response = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
        }
        foreach (var read in new[] { "/api/sensors", "/api/sensors/a/readings", "/connexion", "/api/stream", "/openapi/v1.json" })
        {
            using var response = await client.GetAsync(read);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/luminosity/7")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/readings", new { sensor = "a", value = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/css/app.css")).StatusCode);
    }

    [Theory]
    [InlineData("", "open sesame")]
    [InlineData("ada", "analytical engine")]
    public async Task Signing_in_with_the_password_or_a_users_hash_opens_the_reads(string name, string password)
    {
        await using var server = LiveServer.Start(settings: Protected);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = server.BaseAddress };

        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client, name, "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/sensors")).StatusCode);

        using var signedIn = await SignInAsync(client, name, password);

        Assert.Equal("/api/sensors", signedIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/sensors")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/x", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example", "/")]
    [InlineData("/%5Cevil.example", "/%5Cevil.example")]
    [InlineData("/sensors/a?range=1h", "/sensors/a?range=1h")]
    public async Task Sign_in_only_returns_to_pages_of_this_server(string returnUrl, string expected)
    {
        await using var server = LiveServer.Start(settings: Protected);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = server.BaseAddress };

        using var response = await SignInAsync(client, "", "open sesame", returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Repeated_sign_in_attempts_from_one_address_get_429_with_retry_after()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?>(Protected) { ["Dashboard:SignInAttemptsPerMinute"] = "3" });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = server.BaseAddress };

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var wrong = await SignInAsync(client, "", "guess " + attempt);
            Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
        }
        using var limited = await SignInAsync(client, "", "open sesame");

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        var problem = await limited.Content.ReadAsStringAsync();
        Assert.Contains("Too many sign-in attempts.", problem);
        Assert.DoesNotContain("ingest", problem);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/sensors")).StatusCode);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string name, string password, string returnUrl = "/api/sensors") =>
        SignIn.PostAsync(client, name, password, returnUrl);
}
