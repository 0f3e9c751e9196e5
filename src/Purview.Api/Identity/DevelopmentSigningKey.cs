using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Purview.Api.Identity;

/// <summary>
/// The HS256 key of development tokens: 32 random bytes, base64 in a file kept with the local data
/// (<c>.azurite/devtoken.key</c> under the repository root by default), created on first use and only readable by its owner.
/// The host and the <c>token</c> command read the same file, so tokens printed by one are accepted by the other.
/// </summary>
public sealed class DevelopmentSigningKey
{
    private const int KeyBytes = 32;
    private readonly Lazy<SymmetricSecurityKey> _key;

    public DevelopmentSigningKey(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _key = new Lazy<SymmetricSecurityKey>(() => new SymmetricSecurityKey(LoadOrCreate(Path)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Path { get; }

    /// <summary>The key (reads or creates the file on first use).</summary>
    public SymmetricSecurityKey Key => _key.Value;

    /// <summary>
    /// The configured <see cref="DevelopmentTokenOptions.KeyPath"/>, or the default; a relative path is taken under the
    /// repository root (the folder with Purview.Functions.sln above the content root), else under the content root.
    /// </summary>
    public static DevelopmentSigningKey Resolve(DevelopmentTokenOptions options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var path = string.IsNullOrWhiteSpace(options.KeyPath) ? DevelopmentTokenOptions.DefaultKeyPath : options.KeyPath;
        if (!System.IO.Path.IsPathRooted(path))
        {
            path = System.IO.Path.Combine(FindRepositoryRoot(environment.ContentRootPath) ?? environment.ContentRootPath, path);
        }

        return new DevelopmentSigningKey(path);
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Purview.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
            {
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
            }

            try
            {
                // Atomic, and loses to a concurrent creator (the host and the token command may race): then theirs is read.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"The development token key {path} is not base64; delete it to have a new one generated.", ex);
        }

        return key.Length >= KeyBytes
            ? key
            : throw new InvalidOperationException($"The development token key {path} has {key.Length} bytes, fewer than {KeyBytes}; delete it to have a new one generated.");
    }
}
