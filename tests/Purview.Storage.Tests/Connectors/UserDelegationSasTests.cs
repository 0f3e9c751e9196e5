using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Purview.Storage.Client;
using Purview.Storage.Connectors;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Connectors;

/// <summary>
/// Admin-log download URLs when the app reaches storage with Entra ID and no account key (managed identity in Azure,
/// where shared keys are usually disabled): signed with a user delegation key. Against Azurite over HTTPS with OAuth on,
/// which issues user delegation keys and checks the SAS they sign.
/// </summary>
public sealed class UserDelegationSasTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pv-oauth-" + Guid.NewGuid().ToString("N")[..8]);
    private X509Certificate2? _certificate;
    private Azurite? _azurite;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var cert = Path.Combine(_folder, "cert.pem");
        var key = Path.Combine(_folder, "key.pem");
        await File.WriteAllTextAsync(cert, _certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(key, rsa.ExportPkcs8PrivateKeyPem());
        _azurite = await Azurite.StartWithOAuthAsync(cert, key);
        var thumbprint = _certificate.Thumbprint;
        // Trust exactly the emulator's test certificate, nothing else.
        _http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == thumbprint });
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        _certificate?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task An_account_reached_with_Entra_ID_signs_admin_log_urls_with_a_user_delegation_key_that_downloads_only_that_file()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var (store, layout) = await StoreAsync(time);
        var day = new DateOnly(2026, 11, 30);
        var csv = "Date,ItemId,Outcome\n2026-11-30,item-1,Succeeded\n";
        await store.WriteAsync("teams-one", day, new MemoryStream(Encoding.UTF8.GetBytes(csv)), time.GetUtcNow(), 0, default);
        await store.WriteAsync("teams-two", day, new MemoryStream(Encoding.UTF8.GetBytes("other")), time.GetUtcNow(), 0, default);

        var url = await store.GetReadUrlAsync("teams-one", day, time.GetUtcNow().AddMinutes(15), default);

        Assert.NotNull(url);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("r", query["sp"]);
        Assert.Equal("b", query["sr"]);
        Assert.Equal(Oid, query["skoid"]); // signed by the identity's delegation key, not an account key
        Assert.Equal(Tenant, query["sktid"]);
        Assert.False(layout.Account.HasSharedKey);

        // Anyone holding the URL reads that file, without credentials...
        using (var download = await _http!.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(csv, await download.Content.ReadAsStringAsync());
        }

        // ...and nothing else: not another connector's file with the same signature, not this one with a forged one.
        var other = new Uri(url.AbsoluteUri.Replace("/teams-one/", "/teams-two/", StringComparison.Ordinal));
        using (var refused = await _http.GetAsync(other))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var forged = new Uri(url.AbsoluteUri.Replace("sp=r", "sp=rw", StringComparison.Ordinal));
        using (var refused = await _http.GetAsync(forged))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
    }

    [Fact]
    public async Task One_delegation_key_signs_many_urls_and_a_new_one_is_asked_for_only_when_it_would_expire_first()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var (store, _) = await StoreAsync(time);
        var day = new DateOnly(2026, 11, 30);
        await store.WriteAsync("teams-one", day, new MemoryStream("x"u8.ToArray()), time.GetUtcNow(), 0, default);
        var signer = typeof(BlobAdminLogStore).GetField("_delegation", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(store) as Purview.Storage.Client.Blobs.UserDelegationSigner;
        Assert.NotNull(signer);

        var urls = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => store.GetReadUrlAsync("teams-one", day, time.GetUtcNow().AddMinutes(15), default)));
        Assert.Equal(1, signer.KeyRequests);
        Assert.All(urls, u => Assert.NotNull(u));

        // Within the key's 6 hours nothing new is asked; a URL that would outlive it gets a fresh key.
        time.Advance(TimeSpan.FromHours(5));
        await store.GetReadUrlAsync("teams-one", day, time.GetUtcNow().AddMinutes(15), default);
        Assert.Equal(1, signer.KeyRequests);
        time.Advance(TimeSpan.FromMinutes(50));
        var renewed = await store.GetReadUrlAsync("teams-one", day, time.GetUtcNow().AddMinutes(15), default);
        Assert.Equal(2, signer.KeyRequests);
        // The new key starts where the clock is now (the old one 5 h 50 min earlier).
        var oldStart = DateTimeOffset.Parse(System.Web.HttpUtility.ParseQueryString(urls[0]!.Query)["skt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var newStart = DateTimeOffset.Parse(System.Web.HttpUtility.ParseQueryString(renewed!.Query)["skt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(newStart - oldStart, TimeSpan.FromMinutes(349), TimeSpan.FromMinutes(351));
    }

    private const string Oid = "6f6c0d2e-3a51-4c62-9a1b-5d7b0e2f4c11";
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private async Task<(BlobAdminLogStore Store, StorageLayout Layout)> StoreAsync(TimeProvider time)
    {
        var endpoint = $"https://127.0.0.1:{_azurite!.BlobPort}/{StorageAccount.DevelopmentAccountName}";
        var account = StorageAccount.WithTokenCredential(StorageAccount.DevelopmentAccountName,
            new Uri(endpoint), new Uri($"https://127.0.0.1:{_azurite.QueuePort}/{StorageAccount.DevelopmentAccountName}"),
            new Uri($"https://127.0.0.1:{_azurite.TablePort}/{StorageAccount.DevelopmentAccountName}"), new EmulatorToken());
        var prefix = "u" + Guid.NewGuid().ToString("N")[..8];
        var layout = new StorageLayout(account, new StorageClientOptions { HttpClient = _http }, NullLoggerFactory.Instance, prefix);
        var store = new BlobAdminLogStore(layout, time);
        foreach (var container in layout.ContainerNames)
        {
            await layout.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync();
        }

        return (store, layout);
    }

    /// <summary>
    /// A bearer token as Entra ID would issue for storage (audience, issuer, lifetime, object and tenant ids). Azurite's
    /// basic OAuth level checks these claims, not the signature, so the token is not signed.
    /// </summary>
    private sealed class EmulatorToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var claims = new Dictionary<string, object>
            {
                ["aud"] = "https://storage.azure.com",
                ["iss"] = $"https://sts.windows.net/{Tenant}/",
                ["iat"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
                ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
                ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
                ["oid"] = Oid,
                ["tid"] = Tenant,
            };
            var token = Base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + Base64Url(JsonSerializer.Serialize(claims)) + "." + Base64Url("unsigned");
            return new AccessToken(token, now.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
