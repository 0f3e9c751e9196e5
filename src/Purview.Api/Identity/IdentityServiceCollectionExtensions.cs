using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Purview.Core.Access;

namespace Purview.Api.Identity;

/// <summary>Authentication (Entra ID, App Service Authentication, development tokens) and "authenticated unless marked anonymous".</summary>
public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the schemes and the fallback policy. Everything reads <c>Identity</c> options and the host environment
    /// when a request comes, not now: hosts (and test factories) may still change configuration before the app is built.
    /// </summary>
    public static IServiceCollection AddPurviewIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PurviewIdentityOptions>()
            .Bind(configuration.GetSection(PurviewIdentityOptions.SectionName))
            .Validate(o => !o.EntraId.IsEnabled || !string.IsNullOrWhiteSpace(o.EntraId.Audience), "Identity:EntraId:Audience is required when Identity:EntraId:Authority is set.")
            .Validate(o => !o.EntraId.IsEnabled || Uri.TryCreate(o.EntraId.Authority, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps, "Identity:EntraId:Authority must be an https URL.")
            .Validate(o => o.Development.TokenHours > 0, "Identity:Development:TokenHours must be positive.")
            .ValidateOnStart();

        services.AddHttpContextAccessor();
        services.TryAddSingleton<ICurrentPrincipal, HttpContextCurrentPrincipal>();
        services.TryAddSingleton(sp => DevelopmentSigningKey.Resolve(sp.GetRequiredService<IOptions<PurviewIdentityOptions>>().Value.Development, sp.GetRequiredService<IHostEnvironment>()));
        services.TryAddSingleton<DevelopmentTokenIssuer>();
        services.TryAddSingleton<DevelopmentTokenValidator>();

        services.AddAuthentication(IdentitySchemes.Default)
            .AddPolicyScheme(IdentitySchemes.Default, "Purview Monitor", o => o.ForwardDefaultSelector = IdentitySchemeSelector.Select)
            .AddScheme<AuthenticationSchemeOptions, DevelopmentTokenAuthenticationHandler>(IdentitySchemes.DevelopmentToken, "Development token", null)
            .AddScheme<AuthenticationSchemeOptions, AppServiceAuthenticationHandler>(IdentitySchemes.AppServiceAuthentication, "App Service Authentication", null)
            // Always registered, only selected when Identity:EntraId:Authority is set.
            .AddJwtBearer(IdentitySchemes.EntraId, "Entra ID", _ => { });
        services.AddOptions<JwtBearerOptions>(IdentitySchemes.EntraId)
            .Configure<IOptions<PurviewIdentityOptions>, TimeProvider>((o, identity, time) => EntraIdAuthentication.Configure(o, identity.Value.EntraId, time));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>
    /// Rejects App Service principal headers on hosts not configured to trust them (on every route, anonymous ones
    /// included: a spoof attempt is answered, not ignored), then authentication and authorization.
    /// </summary>
    public static IApplicationBuilder UsePurviewIdentity(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (AppServiceAuthenticationHandler.HasClientPrincipalHeaders(context.Request)
                && !context.RequestServices.GetRequiredService<IOptionsMonitor<PurviewIdentityOptions>>().CurrentValue.AppServiceAuthentication.Enabled)
            {
                await IdentityProblems.WriteUnauthorizedAsync(context, IdentityProblems.ClientPrincipalNotTrusted, invalidToken: true);
                return;
            }

            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
