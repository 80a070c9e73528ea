namespace MyiV3.Data.Entities;

public sealed class SpotifyTopTrack
{
    public long UserId { get; set; }
    public Term Term { get; set; }
    public short Rank { get; set; }
    public long TrackId { get; set; }
    public DateTimeOffset FetchedAt { get; set; }

    public Track? Track { get; set; }
}

public sealed class SpotifyTopArtist
{
    public long UserId { get; set; }
    public Term Term { get; set; }
    public short Rank { get; set; }
    public long ArtistId { get; set; }
    public DateTimeOffset FetchedAt { get; set; }

    public Artist? Artist { get; set; }
}
