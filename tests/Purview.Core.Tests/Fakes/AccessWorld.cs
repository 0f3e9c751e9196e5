using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Testing;
using Xunit;

namespace Purview.Core.Tests.Fakes;

/// <summary>
/// An <see cref="AccessService"/> over in-memory ports, with a tree and a cast:
/// root ─ finance ─ finance-eu, root ─ sales; "admin" is the bootstrap principal (every role at the root).
/// </summary>
public sealed class AccessWorld : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    public AccessWorld()
    {
        Access = new AccessService(Repository, Audit, [Usage], Options, Clock);
        foreach (var (name, parent) in new[] { ("root", (string?)null), ("finance", "root"), ("finance-eu", "finance"), ("sales", "root") })
        {
            Assert.True(Repository.TryAddCollectionAsync(new Collection(name, name, parent, null, T0, T0, "setup"), default).Result);
        }
    }

    public ManualTimeProvider Clock { get; } = new(T0);

    public InMemoryAccessRepository Repository { get; } = new();

    public InMemoryAuditLog Audit { get; } = new();

    public ListedCollectionUsage Usage { get; } = new();

    public AccessOptions Options { get; } = new() { BootstrapAdmins = { "admin" } };

    public AccessService Access { get; }

    public static Principal Admin { get; } = Caller("admin");

    public static Principal Caller(string name) => new(name, null, AuthenticationKinds.EntraId);

    /// <summary>Grants straight in the repository (as another host would) and drops the cached snapshot.</summary>
    public AccessWorld Grant(string collection, Role role, string principal)
    {
        Assert.True(Repository.AddAssignmentAsync(new RoleAssignment(collection, role, principal, T0, "setup"), default).Result);
        Access.Invalidate();
        return this;
    }

    public void Dispose() => Access.Dispose();
}

public static class ResultAssert
{
    public static T Ok<T>(Result<T> result)
    {
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value!;
    }

    public static Error Fails<T>(Result<T> result, ErrorKind kind, string code)
    {
        Assert.False(result.IsSuccess, "Expected an error, got a value.");
        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(code, result.Error.Code);
        return result.Error;
    }

    /// <summary>A 400 naming <paramref name="field"/>.</summary>
    public static Error Invalid<T>(Result<T> result, string field)
    {
        var error = Fails(result, ErrorKind.Validation, "InvalidInput");
        Assert.Contains(error.Fields, f => f.Field == field);
        return error;
    }
}
