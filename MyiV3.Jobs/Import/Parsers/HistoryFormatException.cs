namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// The upload as a whole cannot be read as a Spotify history (not JSON or a ZIP, truncated, unsafe ZIP, …).
/// The message is meant for the person who uploaded it. Problems of single rows are never thrown: they
/// become <see cref="SkipReason.Invalid"/> rows.
/// </summary>
public sealed class HistoryFormatException : Exception
{
    public HistoryFormatException()
    {
    }

    public HistoryFormatException(string message)
        : base(message)
    {
    }

    public HistoryFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
