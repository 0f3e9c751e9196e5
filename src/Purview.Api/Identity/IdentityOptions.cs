namespace Purview.Api.Identity;

/// <summary>The <c>Identity</c> configuration section: which authentication schemes this host accepts.</summary>
public sealed class PurviewIdentityOptions
{
    public const string SectionName = "Identity";

    public EntraIdOptions EntraId { get; set; } = new();

    public AppServiceAuthenticationOptions AppServiceAuthentication { get; set; } = new();

    public DevelopmentTokenOptions Development { get; set; } = new();
}

/// <summary><c>Identity:EntraId</c>: bearer tokens from Microsoft Entra ID; enabled only when <see cref="Authority"/> is set.</summary>
public sealed class EntraIdOptions
{
    /// <summary>e.g. https://login.microsoftonline.com/{tenant}/v2.0; signing keys come from its OpenID metadata.</summary>
    public string? Authority { get; set; }

    /// <summary>The token audience this API accepts (its application id URI or client id).</summary>
    public string? Audience { get; set; }

    /// <summary>When set, only tokens of this tenant are accepted (issuer and <c>tid</c> claim).</summary>
    public string? TenantId { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary><c>Identity:AppServiceAuthentication</c>: trust the X-MS-CLIENT-PRINCIPAL header set by App Service.</summary>
public sealed class AppServiceAuthenticationOptions
{
    /// <summary>
    /// Only true on an app behind App Service Authentication, which strips client-sent X-MS-* headers. Anywhere else
    /// anyone could send the header, so it is never trusted by default and a request that carries it is rejected.
    /// </summary>
    public bool Enabled { get; set; }
}

/// <summary><c>Identity:Development</c>: HS256 tokens signed with a local key, accepted only in the Development environment.</summary>
public sealed class DevelopmentTokenOptions
{
    public const string Issuer = "purview-monitor-dev";
    public const string Audience = "purview-monitor";
    public const string DefaultKeyPath = ".azurite/devtoken.key";

    /// <summary>The key file (created on first use); relative paths are under the repository root (or the content root when deployed).</summary>
    public string? KeyPath { get; set; }

    /// <summary>How long an issued token lasts.</summary>
    public double TokenHours { get; set; } = 8;
}
