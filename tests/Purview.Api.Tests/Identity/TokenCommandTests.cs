using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Identity;

/// <summary><c>dotnet Purview.LocalHost.dll token &lt;principal&gt;</c>, the command behind <c>./run.sh token</c>.</summary>
public sealed class TokenCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TemporaryKeyPath _keyPath = new();

    public void Dispose() => _keyPath.Dispose();

    [Fact]
    public async Task The_printed_token_is_accepted_by_a_Development_host_with_the_same_key()
    {
        var (exitCode, output, error) = await RunHostAsync("token", "bob", "--hours", "2");
        Assert.True(exitCode == 0, error);
        var token = output.Trim();
        Assert.DoesNotContain('\n', token);
        Assert.True(File.Exists(_keyPath.Path));

        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var client = factory.CreateClient();
        var response = await client.SendAsync(Jwt.Get("/account/me", token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bob", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        var expiry = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).ValidTo;
        Assert.InRange(expiry, DateTime.UtcNow.AddHours(2).AddMinutes(-5), DateTime.UtcNow.AddHours(2).AddMinutes(1));
    }

    [Fact]
    public async Task Without_a_principal_the_command_prints_its_usage_and_fails()
    {
        var (exitCode, output, error) = await RunHostAsync("token");

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output.Trim());
        Assert.Contains("usage: token <principal>", error, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunHostAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Purview.LocalHost.dll"));
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["Identity__Development__KeyPath"] = _keyPath.Path;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["LocalSettingsPath"] = "none";
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The host did not exit: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
