using System.Diagnostics;

namespace Purview.Testing;

/// <summary>Runs a JavaScript snippet with Node from the repository root, so it resolves the pinned official Azure clients.</summary>
public static class NodeScript
{
    /// <summary>Runs <paramref name="script"/> (CommonJS) with the given environment and returns its standard output; throws with stderr on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string script, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"purview-{Guid.NewGuid():N}.cjs");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var psi = new ProcessStartInfo("node")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoPaths.Root,
            };
            psi.ArgumentList.Add(file);
            psi.Environment["NODE_PATH"] = RepoPaths.NodeModules;
            foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            {
                psi.Environment[k] = v;
            }

            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Node script did not finish in time. stderr: {await stderr}");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"Node script failed with exit code {process.ExitCode}: {await stderr}");
            }

            return await stdout;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
