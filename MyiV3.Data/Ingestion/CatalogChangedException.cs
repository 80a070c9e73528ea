namespace MyiV3.Data.Ingestion;

/// <summary>
/// A track that an import batch was about to reference is no longer in the catalog. It went after
/// the import resolved its tracks: the metadata job merged a provisional track into Spotify's, or
/// someone deleted it. The batch wrote nothing. Resolving the import's tracks again lets it go on:
/// <c>track_aliases</c> maps a merged key to its track, and a deleted one is cataloged anew.
/// </summary>
public sealed class CatalogChangedException : InvalidOperationException
{
    public CatalogChangedException()
        : base("A track of the batch left the catalog: the batch was not written.")
    {
    }

    public CatalogChangedException(string message)
        : base(message)
    {
    }

    public CatalogChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
