namespace Purview.Storage;

/// <summary>
/// A JSON document kept in one entity, split over the properties <c>Json0</c>, <c>Json1</c>, ... of up to 30,000
/// characters each (a string property holds at most 32K), their number in <c>Chunks</c>.
/// </summary>
internal static class ChunkedJson
{
    public const int ChunkCharacters = 30_000;

    /// <summary>Sets <paramref name="json"/> on <paramref name="entity"/>; returns the entity.</summary>
    public static TableEntity Write(TableEntity entity, string json)
    {
        var chunks = json.Chunk(ChunkCharacters).Select(c => new string(c)).ToList();
        entity["Chunks"] = chunks.Count;
        for (var i = 0; i < chunks.Count; i++)
        {
            entity["Json" + i] = chunks[i];
        }

        return entity;
    }

    /// <summary>The document <see cref="Write"/> stored; empty when the entity holds none.</summary>
    public static string Read(TableEntity entity) =>
        string.Concat(Enumerable.Range(0, entity.GetInt32("Chunks") ?? 0).Select(i => entity.GetString("Json" + i)));
}
