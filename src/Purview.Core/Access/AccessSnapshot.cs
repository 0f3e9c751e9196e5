namespace Purview.Core.Access;

/// <summary>
/// The collection tree and its role assignments at one moment, with the rules that answer "may this principal
/// do that here": roles are inherited down the tree, and the bootstrap principals hold every role at the root.
/// Pure and immutable, so it is cached and shared between requests.
/// </summary>
public sealed class AccessSnapshot
{
    private readonly Dictionary<string, Collection> _collections;
    private readonly Dictionary<string, List<Collection>> _children;
    private readonly Dictionary<(string Principal, Role Role), HashSet<string>> _grants;
    private readonly HashSet<string> _bootstrap;

    public AccessSnapshot(string rootName, IEnumerable<Collection> collections, IEnumerable<RoleAssignment> assignments, IEnumerable<string> bootstrapPrincipals)
    {
        ArgumentNullException.ThrowIfNull(collections);
        ArgumentNullException.ThrowIfNull(assignments);
        RootName = rootName;
        _collections = collections.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        _children = new Dictionary<string, List<Collection>>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in _collections.Values.Where(c => c.ParentName is not null))
        {
            if (!_children.TryGetValue(c.ParentName!, out var list))
            {
                _children[c.ParentName!] = list = [];
            }

            list.Add(c);
        }

        _grants = [];
        Assignments = assignments.ToList();
        foreach (var a in Assignments)
        {
            var key = (a.PrincipalName.ToUpperInvariant(), a.Role);
            if (!_grants.TryGetValue(key, out var set))
            {
                _grants[key] = set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            }

            set.Add(a.CollectionName);
        }

        _bootstrap = new HashSet<string>(bootstrapPrincipals, StringComparer.OrdinalIgnoreCase);
    }

    public string RootName { get; }

    public IReadOnlyCollection<Collection> Collections => _collections.Values;

    public IReadOnlyList<RoleAssignment> Assignments { get; }

    public Collection? Find(string name) => _collections.GetValueOrDefault(name);

    public IReadOnlyList<Collection> ChildrenOf(string name) => _children.GetValueOrDefault(name) ?? (IReadOnlyList<Collection>)[];

    /// <summary>The collection itself, then its parent, up to the root.</summary>
    public IEnumerable<string> SelfAndAncestors(string name)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var current = _collections.GetValueOrDefault(name); current is not null && seen.Add(current.Name); current = current.ParentName is null ? null : _collections.GetValueOrDefault(current.ParentName))
        {
            yield return current.Name;
        }
    }

    public bool IsSelfOrDescendant(string candidate, string ancestor) =>
        SelfAndAncestors(candidate).Contains(ancestor, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the principal holds the role on the collection or on any ancestor of it.</summary>
    public bool HasRole(Principal principal, Role role, string collectionName)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!_collections.ContainsKey(collectionName))
        {
            return false;
        }

        if (_bootstrap.Contains(principal.Name))
        {
            return true;
        }

        if (!_grants.TryGetValue((principal.Name.ToUpperInvariant(), role), out var granted))
        {
            return false;
        }

        return SelfAndAncestors(collectionName).Any(granted.Contains);
    }

    /// <summary>True when the principal holds the role on at least one collection (enough to open a monitoring page).</summary>
    public bool HasRoleAnywhere(Principal principal, Role role)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return _bootstrap.Contains(principal.Name) ||
               (_grants.TryGetValue((principal.Name.ToUpperInvariant(), role), out var set) && set.Any(_collections.ContainsKey));
    }

    /// <summary>Every collection where the principal holds the role, inherited ones included.</summary>
    public IReadOnlySet<string> CollectionsWhere(Principal principal, Role role)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var result = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        IEnumerable<string> roots = _bootstrap.Contains(principal.Name)
            ? [RootName]
            : _grants.GetValueOrDefault((principal.Name.ToUpperInvariant(), role)) ?? (IEnumerable<string>)[];
        var stack = new Stack<string>(roots.Where(_collections.ContainsKey));
        while (stack.Count > 0)
        {
            var name = stack.Pop();
            if (result.Add(name))
            {
                foreach (var child in ChildrenOf(name))
                {
                    stack.Push(child.Name);
                }
            }
        }

        return result;
    }

    /// <summary>The roles the principal holds on the collection, with where each comes from (for the role assignment listing).</summary>
    public IReadOnlyList<RoleAssignment> EffectiveAssignments(string collectionName) =>
        Assignments.Where(a => SelfAndAncestors(collectionName).Contains(a.CollectionName, StringComparer.OrdinalIgnoreCase)).ToList();
}
