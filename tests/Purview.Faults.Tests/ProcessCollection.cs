using Xunit;

namespace Purview.Faults.Tests;

/// <summary>
/// Tests that start host processes run one class at a time: two or three .NET hosts plus Azurite already fill a
/// 2-core machine, and kill timing is only meaningful when a host is not starved.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessCollection
{
    public const string Name = "host processes";
}
