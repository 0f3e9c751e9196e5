namespace Purview.Storage.DataMap;

/// <summary>
/// The Table service's limits on what a scan writes, checked before sending so that the asset fails alone, with a
/// line in the run's exception log, instead of spoiling its whole transaction.
/// </summary>
internal static class AssetLimits
{
    /// <summary>A string property holds at most 64 KiB of UTF-16; an entity at most 1 MiB (we keep a margin for the keys and names).</summary>
    public const int MaxStringProperty = 32 * 1024;
    public const int MaxEntityBytes = 960 * 1024;

    /// <summary>
    /// Why the service would refuse this row (checked before sending, so the row fails alone), or null.
    /// <paramref name="otherBytes"/>: what the row holds beyond these properties (a schema split over several).
    /// </summary>
    public static (string Code, string Message)? Problem(TableEntity entity, long otherBytes = 0)
    {
        long bytes = otherBytes;
        foreach (var (name, value) in entity)
        {
            if (value is not string text)
            {
                bytes += name.Length * 2 + 16;
                continue;
            }

            if (text.Length > MaxStringProperty)
            {
                return ("PropertyValueTooLarge", $"The asset's {name} is {text.Length:N0} characters; the data map stores at most {MaxStringProperty:N0} per property.");
            }

            if (!IsWellFormed(text))
            {
                return ("InvalidInput", $"The asset's {name} is not valid Unicode (an unpaired surrogate).");
            }

            bytes += (name.Length + text.Length) * 2;
        }

        return bytes > MaxEntityBytes ? ("EntityTooLarge", $"The asset's metadata is about {bytes / 1024:N0} KiB; the data map stores at most {MaxEntityBytes / 1024:N0} KiB per asset.") : null;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
