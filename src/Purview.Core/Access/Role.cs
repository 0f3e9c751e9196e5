namespace Purview.Core.Access;

/// <summary>The roles of a collection, as in Purview. Connector admin exists only at the root collection.</summary>
public enum Role
{
    CollectionAdmin,
    DataSourceAdmin,
    DataCurator,
    DataReader,
    ConnectorAdmin,
}

public static class Roles
{
    public static IReadOnlyList<Role> All { get; } = Enum.GetValues<Role>();

    /// <summary>The names used on the wire (route segments, JSON): camelCase, as Purview's metadata roles.</summary>
    public static string ToWire(this Role role) => role switch
    {
        Role.CollectionAdmin => "collectionAdmin",
        Role.DataSourceAdmin => "dataSourceAdmin",
        Role.DataCurator => "dataCurator",
        Role.DataReader => "dataReader",
        Role.ConnectorAdmin => "connectorAdmin",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? text, out Role role)
    {
        foreach (var r in All)
        {
            if (string.Equals(r.ToWire(), text, StringComparison.OrdinalIgnoreCase) || string.Equals(r.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                role = r;
                return true;
            }
        }

        role = default;
        return false;
    }
}
