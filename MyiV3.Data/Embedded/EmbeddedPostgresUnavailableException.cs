namespace MyiV3.Data.Embedded;

/// <summary>The embedded database cannot start for a reason a person must fix (nothing to retry).</summary>
public sealed class EmbeddedPostgresUnavailableException : Exception
{
    public EmbeddedPostgresUnavailableException()
    {
    }

    public EmbeddedPostgresUnavailableException(string message)
        : base(message)
    {
    }

    public EmbeddedPostgresUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
