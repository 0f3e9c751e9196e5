namespace Purview.Core.Access;

/// <summary>Who is calling. Names compare case-insensitively (user principal names are case-insensitive in Entra ID).</summary>
public sealed record Principal(string Name, string? ObjectId, string AuthenticationKind)
{
    public static readonly StringComparer NameComparer = StringComparer.OrdinalIgnoreCase;

    public bool Is(string name) => NameComparer.Equals(Name, name);
}
