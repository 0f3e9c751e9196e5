namespace Purview.Testing;

/// <summary>Finds the repository root (the folder holding package.json and node_modules) from the test's output folder.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !(File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "Purview.Functions.sln"))))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException(
            $"Could not find the repository root above {AppContext.BaseDirectory} (looked for package.json next to Purview.Functions.sln).");
    });

    public static string Root => RootPath.Value;

    public static string NodeModules => Path.Combine(Root, "node_modules");
}
