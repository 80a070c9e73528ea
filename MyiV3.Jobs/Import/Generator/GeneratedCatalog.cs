namespace MyiV3.Jobs.Import.Generator;

/// <summary>A generated artist: a 22-character Spotify-like id and a name.</summary>
public sealed record GeneratedArtist(string SpotifyId, string Name);

/// <summary>A generated album with its album artist.</summary>
public sealed record GeneratedAlbum(string SpotifyId, string Name, GeneratedArtist Artist);

/// <summary>A generated track; <see cref="Artists"/>[0] is the album artist, the only one an export names.</summary>
public sealed record GeneratedTrack(int Index, string SpotifyId, string Name, GeneratedAlbum Album, IReadOnlyList<GeneratedArtist> Artists, int DurationMs)
{
    public string Uri => "spotify:track:" + SpotifyId;
}

/// <summary>
/// The generated music world: artists, albums, multi-artist tracks, and a Zipf popularity over tracks.
/// Track (name, album artist) pairs are unique, so the account-data export (names only) still tells tracks apart.
/// </summary>
public sealed class GeneratedCatalog
{
    private static readonly string[] Adjectives =
    [
        "Neon", "Velvet", "Silent", "Golden", "Broken", "Electric", "Hollow", "Midnight", "Paper", "Crystal", "Wild", "Lonely",
        "Burning", "Frozen", "Secret", "Northern", "Endless", "Little", "Glass", "Savage", "Sweet", "Dusty", "Blue", "Scarlet",
        "Café", "Düster", "Señor", "Ünder", "Tokyo", "Lumière",
    ];

    private static readonly string[] Nouns =
    [
        "Harbor", "Static", "Garden", "Highway", "Echo", "Heart", "Machine", "River", "Signal", "Mirror", "Summer", "Ghost",
        "Parade", "Satellite", "Tides", "Fire", "Letters", "Avenue", "Horizon", "Rain", "Lights", "Dreams", "Stone", "Waves",
        "Noir", "Straße", "Corazón", "夜", "Sky \"Live\"", "Back\\Slash",
    ];

    private static readonly string[] BandWords = ["The", "Los", "Die", "Les", "DJ", "MC", "Lil", "Young", "Saint", "Club"];

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly double[] _cumulative;
    private readonly int[] _byRank;

    internal GeneratedCatalog(int trackCount, double zipfExponent, GeneratorRandom random)
    {
        var artistCount = Math.Max(20, trackCount / 6);
        var albumCount = Math.Max(30, trackCount / 8);

        var artists = new GeneratedArtist[artistCount];
        var artistNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < artistCount; i++)
        {
            artists[i] = new GeneratedArtist(Id(random), UniqueName(random, artistNames, ArtistName));
        }

        var albums = new GeneratedAlbum[albumCount];
        for (var i = 0; i < albumCount; i++)
        {
            albums[i] = new GeneratedAlbum(Id(random), Title(random), artists[random.Next(artistCount)]);
        }

        var tracks = new GeneratedTrack[trackCount];
        var trackKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < trackCount; i++)
        {
            var album = albums[random.Next(albumCount)];
            var credits = new List<GeneratedArtist> { album.Artist };
            var featured = random.Chance(0.3) ? random.Next(1, 3) : 0;
            for (var f = 0; f < featured; f++)
            {
                var guest = artists[random.Next(artistCount)];
                if (!credits.Contains(guest))
                {
                    credits.Add(guest);
                }
            }

            string name;
            do
            {
                name = Title(random);
                if (random.Chance(0.08))
                {
                    name += " - Remastered " + random.Next(1995, 2024).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                if (!trackKeys.Contains(name + "\u0001" + album.Artist.Name))
                {
                    break;
                }

                name += " (Take " + random.Next(2, 99).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
            }
            while (trackKeys.Contains(name + "\u0001" + album.Artist.Name));

            trackKeys.Add(name + "\u0001" + album.Artist.Name);
            tracks[i] = new GeneratedTrack(i, Id(random), name, album, credits, random.Next(95_000, 420_000));
        }

        Artists = artists;
        Albums = albums;
        Tracks = tracks;

        // Popularity rank → track: a shuffle, so hits are spread over albums and artists.
        _byRank = Enumerable.Range(0, trackCount).ToArray();
        for (var i = trackCount - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (_byRank[i], _byRank[j]) = (_byRank[j], _byRank[i]);
        }

        _cumulative = new double[trackCount];
        double sum = 0;
        for (var k = 0; k < trackCount; k++)
        {
            sum += 1.0 / Math.Pow(k + 1, zipfExponent);
            _cumulative[k] = sum;
        }

        for (var k = 0; k < trackCount; k++)
        {
            _cumulative[k] /= sum;
        }
    }

    public IReadOnlyList<GeneratedArtist> Artists { get; }

    public IReadOnlyList<GeneratedAlbum> Albums { get; }

    public IReadOnlyList<GeneratedTrack> Tracks { get; }

    internal GeneratedTrack Sample(GeneratorRandom random)
    {
        var rank = Array.BinarySearch(_cumulative, random.NextDouble());
        if (rank < 0)
        {
            rank = ~rank;
        }

        return Tracks[_byRank[Math.Min(rank, _byRank.Length - 1)]];
    }

    internal static string Id(GeneratorRandom random)
    {
        Span<char> id = stackalloc char[22];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = Base62[random.Next(Base62.Length)];
        }

        return new string(id);
    }

    private static string Title(GeneratorRandom random) => random.Next(4) switch
    {
        0 => random.Pick(Nouns),
        1 => random.Pick(Adjectives) + " " + random.Pick(Nouns),
        2 => random.Pick(Nouns) + " of " + random.Pick(Adjectives) + " " + random.Pick(Nouns),
        _ => random.Pick(Adjectives) + " " + random.Pick(Nouns) + " " + random.Pick(Nouns),
    };

    private static string ArtistName(GeneratorRandom random) => random.Next(3) switch
    {
        0 => random.Pick(BandWords) + " " + random.Pick(Adjectives) + " " + random.Pick(Nouns),
        1 => random.Pick(Adjectives) + " " + random.Pick(Nouns),
        _ => random.Pick(BandWords) + " " + random.Pick(Nouns),
    };

    private static string UniqueName(GeneratorRandom random, HashSet<string> taken, Func<GeneratorRandom, string> make)
    {
        var name = make(random);
        var n = 2;
        var candidate = name;
        while (!taken.Add(candidate))
        {
            candidate = name + " " + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            n++;
        }

        return candidate;
    }
}
