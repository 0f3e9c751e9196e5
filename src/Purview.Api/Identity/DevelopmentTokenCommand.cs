using System.Globalization;
using Microsoft.Extensions.Options;

namespace Purview.Api.Identity;

/// <summary><c>token &lt;principal&gt; [--hours N]</c>: prints a development token for the principal (the host's <c>token</c> command).</summary>
public static class DevelopmentTokenCommand
{
    public const string Name = "token";
    private const string Usage = "usage: token <principal> [--hours N]";

    /// <summary>Issues and prints the token on <paramref name="output"/>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args, IConfiguration configuration, IHostEnvironment environment, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? principal = null;
        double? hours = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--hours" && i + 1 < args.Count
                && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h > 0 && double.IsFinite(h))
            {
                hours = h;
                i++;
            }
            else if (principal is null && !args[i].StartsWith('-') && !string.IsNullOrWhiteSpace(args[i]))
            {
                principal = args[i];
            }
            else
            {
                error.WriteLine($"unexpected argument '{args[i]}' ({Usage})");
                return 2;
            }
        }

        if (principal is null)
        {
            error.WriteLine(Usage);
            return 2;
        }

        var options = new PurviewIdentityOptions();
        configuration.GetSection(PurviewIdentityOptions.SectionName).Bind(options);
        var key = DevelopmentSigningKey.Resolve(options.Development, environment);
        var time = TimeProvider.System;
        var lifetime = TimeSpan.FromHours(hours ?? options.Development.TokenHours);
        var token = new DevelopmentTokenIssuer(key, time, Options.Create(options)).Issue(principal, lifetime);
        output.WriteLine(token);
        error.WriteLine($"Development token for {principal}, valid until {(time.GetUtcNow() + lifetime).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} (key {key.Path}).");
        if (!environment.IsDevelopment())
        {
            error.WriteLine($"Note: only hosts in the Development environment accept it (this one is {environment.EnvironmentName}; run.sh sets ASPNETCORE_ENVIRONMENT=Development).");
        }

        return 0;
    }
}
