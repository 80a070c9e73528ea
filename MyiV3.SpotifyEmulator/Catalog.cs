namespace MyiV3.SpotifyEmulator;

internal sealed record EmuArtist(string Id, string Name, string[] Genres, int Popularity);

internal sealed record EmuAlbum(string Id, string Name, string AlbumType, string ReleaseDate, int TotalTracks, EmuArtist Artist);

internal sealed record EmuTrack(string Id, string Name, int DurationMs, int Popularity, bool Explicit, EmuAlbum Album, IReadOnlyList<EmuArtist> Artists);

/// <summary>
/// A fixed, seeded music catalog: the same seed always yields the same ids, names and durations,
/// so tests and benchmarks can reason about what the emulator will answer.
/// </summary>
internal sealed class Catalog
{
    private static readonly string[] GenrePool =
    [
        "indie pop", "synthwave", "jazz", "hip hop", "techno", "folk", "classical", "metal",
        "bossa nova", "drum and bass", "shoegaze", "k-pop", "ambient", "blues", "reggae", "house",
    ];

    private static readonly string[] Words =
    [
        "Blue", "Night", "River", "Echo", "Golden", "Paper", "Neon", "Quiet", "Summer", "Glass",
        "Velvet", "Storm", "Silver", "Ocean", "Electric", "Winter", "Shadow", "Fire", "Lunar", "Wild",
    ];

    private readonly Dictionary<string, EmuTrack> _tracks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmuArtist> _artists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmuAlbum> _albums = new(StringComparer.Ordinal);

    public Catalog(int seed, int artistCount = 120, int albumsPerArtist = 3, int tracksPerAlbum = 8)
    {
        var rng = new Random(seed);
        var tracks = new List<EmuTrack>();
        for (var a = 0; a < artistCount; a++)
        {
            var artist = new EmuArtist(
                NewId(rng),
                $"{Pick(rng)} {Pick(rng)} {a}",
                [GenrePool[rng.Next(GenrePool.Length)], GenrePool[rng.Next(GenrePool.Length)]],
                rng.Next(10, 100));
            _artists[artist.Id] = artist;
            for (var b = 0; b < albumsPerArtist; b++)
            {
                var album = new EmuAlbum(
                    NewId(rng),
                    $"{Pick(rng)} {Pick(rng)}",
                    b == 0 ? "single" : "album",
                    $"{2000 + rng.Next(26)}-{1 + rng.Next(12):00}-{1 + rng.Next(28):00}",
                    tracksPerAlbum,
                    artist);
                _albums[album.Id] = album;
                for (var t = 0; t < tracksPerAlbum; t++)
                {
                    var artists = new List<EmuArtist> { artist };
                    if (rng.Next(5) == 0 && _artists.Count > 1)
                    {
                        var feat = _artists.Values.ElementAt(rng.Next(_artists.Count));
                        if (feat.Id != artist.Id)
                        {
                            artists.Add(feat);
                        }
                    }

                    var track = new EmuTrack(
                        NewId(rng),
                        $"{Pick(rng)} {Pick(rng)} {Pick(rng)}",
                        rng.Next(90_000, 420_000),
                        rng.Next(0, 100),
                        rng.Next(6) == 0,
                        album,
                        artists);
                    _tracks[track.Id] = track;
                    tracks.Add(track);
                }
            }
        }

        Tracks = tracks;
    }

    /// <summary>Every track in creation order (stable for a seed).</summary>
    public IReadOnlyList<EmuTrack> Tracks { get; }

    public IReadOnlyCollection<EmuArtist> Artists => _artists.Values;

    public EmuTrack? Track(string id) => _tracks.GetValueOrDefault(id);

    public EmuArtist? Artist(string id) => _artists.GetValueOrDefault(id);

    public EmuAlbum? Album(string id) => _albums.GetValueOrDefault(id);

    private static string Pick(Random rng) => Words[rng.Next(Words.Length)];

    /// <summary>A 22-character base62 id, like Spotify's.</summary>
    internal static string NewId(Random rng)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        Span<char> id = stackalloc char[22];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = alphabet[rng.Next(alphabet.Length)];
        }

        return new string(id);
    }
}
