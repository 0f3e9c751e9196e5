using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Purview.Testing;

namespace Purview.Api.Tests.Identity;

/// <summary>The local host over Azurite in a chosen environment, with test-only service changes (e.g. Entra ID signing keys).</summary>
public sealed class IdentityApplicationFactory(
    string storageConnectionString,
    IReadOnlyDictionary<string, string?> settings,
    TimeProvider? timeProvider = null,
    string environment = "Development",
    Action<IServiceCollection>? configureServices = null)
    : PurviewApplicationFactory(storageConnectionString, timeProvider, settings)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(environment);
        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }
}

/// <summary>A development key path in a folder of its own, deleted afterwards.</summary>
public sealed class TemporaryKeyPath : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "purview-identity-tests", Guid.NewGuid().ToString("N"));

    public string Path => System.IO.Path.Combine(_folder, "devtoken.key");

    public Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Identity:Development:KeyPath"] = Path };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

/// <summary>Hand-made JWTs, for the tokens our issuer would never produce.</summary>
public static class Jwt
{
    public static string Encode(object header, object payload, Func<byte[], byte[]>? sign)
    {
        var head = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header));
        var body = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = sign is null ? string.Empty : Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes($"{head}.{body}")));
        return $"{head}.{body}.{signature}";
    }

    public static string Hs256(byte[] key, object payload) => Encode(new { alg = "HS256", typ = "JWT" }, payload, data => HMACSHA256.HashData(key, data));

    /// <summary>A development-token payload for <paramref name="name"/>, valid from <paramref name="now"/> for an hour unless overridden.</summary>
    public static Dictionary<string, object> DevelopmentPayload(string name, DateTimeOffset now, string issuer = "purview-monitor-dev", string audience = "purview-monitor") => new()
    {
        ["sub"] = name,
        ["name"] = name,
        ["iss"] = issuer,
        ["aud"] = audience,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
    };

    /// <summary>The token with its payload replaced by <paramref name="payload"/> and the original signature kept.</summary>
    public static string WithPayload(string token, object payload)
    {
        var parts = token.Split('.');
        return $"{parts[0]}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload))}.{parts[2]}";
    }

    public static HttpRequestMessage Get(string path, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
