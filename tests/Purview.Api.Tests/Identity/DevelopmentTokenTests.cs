using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Purview.Api.Identity;
using Purview.Core.Access;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Identity;

/// <summary>Issuing and validating development tokens, without a host.</summary>
public sealed class DevelopmentTokenTests : IDisposable
{
    private readonly TemporaryKeyPath _keyPath = new();
    private readonly ManualTimeProvider _time = new();
    private readonly DevelopmentSigningKey _key;
    private readonly DevelopmentTokenIssuer _issuer;
    private readonly DevelopmentTokenValidator _validator;

    public DevelopmentTokenTests()
    {
        _key = new DevelopmentSigningKey(_keyPath.Path);
        _issuer = new DevelopmentTokenIssuer(_key, _time, Options.Create(new PurviewIdentityOptions()));
        _validator = new DevelopmentTokenValidator(_key, _time);
    }

    public void Dispose() => _keyPath.Dispose();

    [Fact]
    public async Task An_issued_token_validates_as_the_principal()
    {
        var token = _issuer.Issue("alice@contoso.com");

        var result = await _validator.ValidateAsync(token);

        Assert.True(result.IsValid, result.Failure?.Message);
        var principal = result.Principal.ToPrincipal();
        Assert.Equal(new Principal("alice@contoso.com", null, AuthenticationKinds.DevelopmentToken), principal);
        Assert.Equal("alice@contoso.com", result.Principal!.Identity!.Name);
    }

    [Fact]
    public void An_issued_token_is_HS256_from_the_development_issuer_for_eight_hours()
    {
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(_issuer.Issue("alice@contoso.com"));

        Assert.Equal("HS256", token.Alg);
        Assert.Equal("purview-monitor-dev", token.Issuer);
        Assert.Equal(["purview-monitor"], token.Audiences);
        Assert.Equal("alice@contoso.com", token.Subject);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddHours(8), token.ValidTo);
        Assert.Equal("purview-monitor-dev", DevelopmentTokenValidator.PeekIssuer(token.EncodedToken));
    }

    [Fact]
    public async Task A_token_is_valid_until_its_expiry_plus_the_clock_skew()
    {
        var token = _issuer.Issue("alice@contoso.com", TimeSpan.FromHours(1));

        _time.Advance(TimeSpan.FromHours(1) + DevelopmentTokenValidator.ClockSkew - TimeSpan.FromSeconds(1));
        Assert.True((await _validator.ValidateAsync(token)).IsValid);

        _time.Advance(TimeSpan.FromSeconds(2));
        var expired = await _validator.ValidateAsync(token);
        Assert.False(expired.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(expired.Failure);
    }

    [Fact]
    public async Task A_token_that_is_not_valid_yet_is_rejected()
    {
        var payload = Jwt.DevelopmentPayload("alice@contoso.com", _time.GetUtcNow().AddMinutes(5));

        var result = await _validator.ValidateAsync(Jwt.Hs256(_key.Key.Key, payload));

        Assert.IsType<SecurityTokenNotYetValidException>(result.Failure);
    }

    [Fact]
    public async Task A_token_without_expiry_is_rejected()
    {
        var payload = Jwt.DevelopmentPayload("alice@contoso.com", _time.GetUtcNow());
        payload.Remove("exp");

        var result = await _validator.ValidateAsync(Jwt.Hs256(_key.Key.Key, payload));

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task A_hand_made_token_with_the_right_key_and_claims_is_valid()
    {
        var result = await _validator.ValidateAsync(Jwt.Hs256(_key.Key.Key, Jwt.DevelopmentPayload("dave@contoso.com", _time.GetUtcNow())));

        Assert.True(result.IsValid, result.Failure?.Message);
        Assert.Equal("dave@contoso.com", result.Principal.ToPrincipal()!.Name);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_rejected()
    {
        var token = Jwt.Hs256(RandomNumberGenerator.GetBytes(32), Jwt.DevelopmentPayload("alice@contoso.com", _time.GetUtcNow()));

        var result = await _validator.ValidateAsync(token);

        Assert.IsAssignableFrom<SecurityTokenInvalidSignatureException>(result.Failure);
    }

    [Fact]
    public async Task A_token_whose_payload_was_changed_is_rejected()
    {
        var token = _issuer.Issue("alice@contoso.com");
        var tampered = Jwt.WithPayload(token, Jwt.DevelopmentPayload("admin", _time.GetUtcNow()));

        var result = await _validator.ValidateAsync(tampered);

        Assert.IsAssignableFrom<SecurityTokenInvalidSignatureException>(result.Failure);
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_rejected()
    {
        var token = Jwt.Encode(new { alg = "none", typ = "JWT" }, Jwt.DevelopmentPayload("alice@contoso.com", _time.GetUtcNow()), sign: null);

        var result = await _validator.ValidateAsync(token);

        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task A_token_signed_with_the_right_key_but_another_algorithm_is_rejected(string algorithm)
    {
        var payload = Jwt.DevelopmentPayload("alice@contoso.com", _time.GetUtcNow());
        byte[] Sign(byte[] data) => algorithm == "HS384" ? HMACSHA384.HashData(_key.Key.Key, data) : HMACSHA512.HashData(_key.Key.Key, data);

        var result = await _validator.ValidateAsync(Jwt.Encode(new { alg = algorithm, typ = "JWT" }, payload, Sign));

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_rejected()
    {
        var token = Jwt.Hs256(_key.Key.Key, Jwt.DevelopmentPayload("alice@contoso.com", _time.GetUtcNow(), issuer: "someone-else"));

        var result = await _validator.ValidateAsync(token);

        Assert.IsType<SecurityTokenInvalidIssuerException>(result.Failure);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_rejected()
    {
        var token = Jwt.Hs256(_key.Key.Key, Jwt.DevelopmentPayload("alice@contoso.com", _time.GetUtcNow(), audience: "another-api"));

        var result = await _validator.ValidateAsync(token);

        Assert.IsType<SecurityTokenInvalidAudienceException>(result.Failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    public async Task Garbage_is_rejected(string token)
    {
        var result = await _validator.ValidateAsync(token);

        Assert.False(result.IsValid);
        Assert.Null(DevelopmentTokenValidator.PeekIssuer(token));
    }

    [Fact]
    public void The_key_is_created_once_with_32_random_bytes_readable_only_by_its_owner()
    {
        var first = new DevelopmentSigningKey(_keyPath.Path).Key.Key;
        var second = new DevelopmentSigningKey(_keyPath.Path).Key.Key;

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_keyPath.Path));
        }
    }

    [Fact]
    public void A_key_file_that_is_too_short_is_refused()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_keyPath.Path)!);
        File.WriteAllText(_keyPath.Path, Convert.ToBase64String(new byte[16]));

        var error = Assert.Throws<InvalidOperationException>(() => new DevelopmentSigningKey(_keyPath.Path).Key);

        Assert.Contains("16 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_key_path_is_under_the_repository_root()
    {
        var environment = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = Path.Combine(RepoPaths.Root, "src", "Purview.LocalHost") };

        var key = DevelopmentSigningKey.Resolve(new DevelopmentTokenOptions(), environment);

        Assert.Equal(Path.Combine(RepoPaths.Root, ".azurite", "devtoken.key"), key.Path);
    }
}
