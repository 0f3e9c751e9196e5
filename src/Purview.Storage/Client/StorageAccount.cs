using Azure.Core;

namespace Purview.Storage.Client;

/// <summary>
/// Where an Azure Storage account is and how to authenticate to it: a Shared Key, a SAS token or an
/// Entra ID <see cref="TokenCredential"/>. Built from a connection string or from an account name and a credential.
/// </summary>
public sealed class StorageAccount
{
    /// <summary>The well-known key of the storage emulator (public, documented by Microsoft).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageAccount(string name, Uri blob, Uri queue, Uri table, byte[]? key, string? sas, TokenCredential? token)
    {
        Name = name;
        BlobEndpoint = WithTrailingSlash(blob);
        QueueEndpoint = WithTrailingSlash(queue);
        TableEndpoint = WithTrailingSlash(table);
        SharedKey = key;
        SasToken = sas;
        TokenCredential = token;
    }

    public string Name { get; }
    public Uri BlobEndpoint { get; }
    public Uri QueueEndpoint { get; }
    public Uri TableEndpoint { get; }
    internal byte[]? SharedKey { get; }
    internal string? SasToken { get; }
    internal TokenCredential? TokenCredential { get; }

    public bool HasSharedKey => SharedKey is not null;
    public string AuthenticationKind => SharedKey is not null ? "SharedKey" : TokenCredential is not null ? "EntraId" : "Sas";

    /// <summary>True when the account is addressed path-style (emulator), so the account name is the first path segment.</summary>
    public bool IsPathStyle => !BlobEndpoint.Host.StartsWith(Name + ".", StringComparison.OrdinalIgnoreCase);

    public static StorageAccount ForDevelopment(string host = "127.0.0.1", int blobPort = 10000, int queuePort = 10001, int tablePort = 10002) =>
        new(DevelopmentAccountName,
            new Uri($"http://{host}:{blobPort}/{DevelopmentAccountName}"),
            new Uri($"http://{host}:{queuePort}/{DevelopmentAccountName}"),
            new Uri($"http://{host}:{tablePort}/{DevelopmentAccountName}"),
            Convert.FromBase64String(DevelopmentAccountKey), null, null);

    /// <summary>An account reached with Entra ID (managed identity, Azure CLI, ...): no key anywhere.</summary>
    public static StorageAccount WithTokenCredential(string accountName, TokenCredential credential, string endpointSuffix = "core.windows.net")
    {
        ValidateAccountName(accountName);
        ArgumentNullException.ThrowIfNull(credential);
        return new StorageAccount(accountName,
            new Uri($"https://{accountName}.blob.{endpointSuffix}"),
            new Uri($"https://{accountName}.queue.{endpointSuffix}"),
            new Uri($"https://{accountName}.table.{endpointSuffix}"),
            null, null, credential);
    }

    /// <summary>An account at explicit endpoints reached with Entra ID.</summary>
    public static StorageAccount WithTokenCredential(string accountName, Uri blob, Uri queue, Uri table, TokenCredential credential) =>
        new(accountName, blob, queue, table, null, null, credential ?? throw new ArgumentNullException(nameof(credential)));

    /// <summary>
    /// Parses a connection string: <c>UseDevelopmentStorage=true</c> (optionally with <c>DevelopmentStorageProxyUri</c>),
    /// <c>AccountName/AccountKey</c> with <c>DefaultEndpointsProtocol</c> and <c>EndpointSuffix</c>, explicit
    /// <c>BlobEndpoint/QueueEndpoint/TableEndpoint</c>, and <c>SharedAccessSignature</c>.
    /// </summary>
    public static StorageAccount Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The storage connection string is empty.");
        }

        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"The storage connection string has a malformed setting '{Redact(part)}': expected Name=Value.");
            }

            settings[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var isDev) && isDev)
        {
            if (settings.TryGetValue("DevelopmentStorageProxyUri", out var proxy))
            {
                var p = new Uri(proxy);
                return ForDevelopment(p.Host);
            }

            return ForDevelopment();
        }

        settings.TryGetValue("AccountName", out var name);
        settings.TryGetValue("AccountKey", out var keyText);
        settings.TryGetValue("SharedAccessSignature", out var sas);
        var protocol = settings.TryGetValue("DefaultEndpointsProtocol", out var proto) ? proto.ToLowerInvariant() : "https";
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException($"DefaultEndpointsProtocol must be http or https, not '{protocol}'.");
        }

        var suffix = settings.TryGetValue("EndpointSuffix", out var s) ? s : "core.windows.net";

        Uri? Endpoint(string key, string service)
        {
            if (settings.TryGetValue(key, out var explicitEndpoint))
            {
                if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                {
                    throw new FormatException($"{key} '{explicitEndpoint}' is not an absolute http(s) URI.");
                }

                return uri;
            }

            return name is null ? null : new Uri($"{protocol}://{name}.{service}.{suffix}");
        }

        var blob = Endpoint("BlobEndpoint", "blob");
        var queue = Endpoint("QueueEndpoint", "queue");
        var table = Endpoint("TableEndpoint", "table");
        if (blob is null || queue is null || table is null)
        {
            throw new FormatException("The storage connection string needs AccountName (or BlobEndpoint, QueueEndpoint and TableEndpoint).");
        }

        if (name is null)
        {
            // Explicit endpoints without a name: take it from the host (account.blob...) or the emulator's first path segment.
            name = blob.Host.Contains('.', StringComparison.Ordinal) && !IPAddressLike(blob.Host)
                ? blob.Host.Split('.')[0]
                : blob.AbsolutePath.Trim('/').Split('/')[0];
        }

        ValidateAccountName(name);
        byte[]? key = null;
        if (keyText is not null)
        {
            try
            {
                key = Convert.FromBase64String(keyText);
            }
            catch (FormatException)
            {
                throw new FormatException("AccountKey in the storage connection string is not valid base64.");
            }
        }

        if (key is null && sas is null)
        {
            throw new FormatException("The storage connection string needs AccountKey or SharedAccessSignature (use a TokenCredential for Entra ID).");
        }

        return new StorageAccount(name, blob, queue, table, key, sas?.TrimStart('?'), null);
    }

    /// <summary>
    /// This account's credential at another blob endpoint, the account name read from it (the host's first label, or an
    /// emulator's first path segment): scans send a credential only to the endpoint that was registered and checked.
    /// </summary>
    internal StorageAccount AtBlobEndpoint(Uri blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var name = blob.Host.Contains('.', StringComparison.Ordinal) && !IPAddressLike(blob.Host)
            ? blob.Host.Split('.')[0]
            : blob.AbsolutePath.Trim('/').Split('/')[0];
        ValidateAccountName(name);
        return new StorageAccount(name, blob, blob, blob, SharedKey, SasToken, TokenCredential);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({AuthenticationKind}, {TableEndpoint.GetLeftPart(UriPartial.Authority)})");

    private static bool IPAddressLike(string host) => System.Net.IPAddress.TryParse(host, out _) || host == "localhost";

    internal static void ValidateAccountName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length is < 3 or > 24 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new FormatException($"'{name}' is not a valid storage account name (3-24 lowercase letters and digits).");
        }
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    private static string Redact(string part) => part.Length > 12 ? part[..12] + "..." : part;
}
