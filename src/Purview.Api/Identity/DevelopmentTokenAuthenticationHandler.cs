using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Purview.Api.Identity;

/// <summary>
/// Development tokens, accepted only when the host environment is Development; elsewhere such a token is rejected
/// (even if a key file exists). Also answers for requests no other scheme takes: no credentials, or a token whose issuer
/// no configured scheme accepts.
/// </summary>
public sealed class DevelopmentTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IHostEnvironment environment)
    : ProblemChallengeAuthenticationHandler(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = IdentitySchemeSelector.GetBearerToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (!environment.IsDevelopment())
        {
            var issuer = DevelopmentTokenValidator.PeekIssuer(token);
            return AuthenticateResult.Fail(issuer == DevelopmentTokenOptions.Issuer
                ? IdentityProblems.DevelopmentTokensNotAccepted
                : "The bearer token's issuer is not accepted on this host (no Entra ID authority is configured: Identity:EntraId:Authority).");
        }

        // Resolved here, not injected: outside Development the key file is never read or created.
        var validation = await Context.RequestServices.GetRequiredService<DevelopmentTokenValidator>().ValidateAsync(token);
        if (!validation.IsValid)
        {
            Logger.LogInformation("Development token rejected: {Reason}", validation.Failure!.Message);
            return AuthenticateResult.Fail(validation.Failure!);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(validation.Principal!, Scheme.Name));
    }
}

/// <summary>Our schemes' challenge: a 401 problem saying why this request's authentication failed.</summary>
public abstract class ProblemChallengeAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The result is cached per request: this is the failure the authentication middleware already saw.
        var result = await HandleAuthenticateOnceSafeAsync();
        await IdentityProblems.WriteUnauthorizedAsync(Context, IdentityProblems.Describe(result.Failure), invalidToken: result.Failure is not null);
    }
}
