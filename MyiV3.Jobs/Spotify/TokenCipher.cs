using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MyiV3.Jobs.Spotify;

/// <summary>
/// AES-256-GCM for refresh tokens at rest: blob = 12-byte random nonce ‖ ciphertext ‖ 16-byte tag.
/// The user id is authenticated data, so a blob copied onto another user's row does not decrypt.
/// Several key versions can be known; the highest encrypts, any known one decrypts.
/// </summary>
public sealed class TokenCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly IReadOnlyDictionary<int, byte[]> _keys;

    public TokenCipher(IReadOnlyDictionary<int, byte[]> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0 || keys.Values.Any(k => k.Length != 32))
        {
            throw new ArgumentException("Token keys must be 32 bytes each, at least one.", nameof(keys));
        }

        _keys = keys;
        CurrentVersion = keys.Keys.Max();
    }

    public int CurrentVersion { get; }

    public (byte[] Blob, int KeyVersion) Encrypt(long userId, string token)
    {
        var plain = Encoding.UTF8.GetBytes(token);
        var blob = new byte[NonceSize + plain.Length + TagSize];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[CurrentVersion], TagSize);
        aes.Encrypt(nonce, plain, blob.AsSpan(NonceSize, plain.Length), blob.AsSpan(NonceSize + plain.Length), Aad(userId));
        CryptographicOperations.ZeroMemory(plain);
        return (blob, CurrentVersion);
    }

    public string Decrypt(long userId, byte[] blob, int keyVersion)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (!_keys.TryGetValue(keyVersion, out var key))
        {
            throw new CryptographicException($"Token key version {keyVersion} is not configured.");
        }

        var cipherLength = blob.Length - NonceSize - TagSize;
        if (cipherLength <= 0)
        {
            throw new CryptographicException("Encrypted token is too short.");
        }

        var plain = new byte[cipherLength];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize, cipherLength), blob.AsSpan(NonceSize + cipherLength), plain, Aad(userId));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Aad(long userId) => Encoding.ASCII.GetBytes("myi:spotify-refresh:" + userId.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Keys from <c>Spotify:TokenKeys:&lt;version&gt;</c>; without any, version 1 from a key file that is
    /// created once (random, owner-only) and reused on every start.
    /// </summary>
    public static TokenCipher FromOptions(SpotifyOptions options, string defaultKeyFile)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new Dictionary<int, byte[]>();
        foreach (var (version, value) in options.TokenKeys)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                keys[int.Parse(version, NumberStyles.Integer, CultureInfo.InvariantCulture)] = Convert.FromBase64String(value.Trim());
            }
        }

        if (keys.Count == 0)
        {
            keys[1] = LoadOrCreateKeyFile(string.IsNullOrWhiteSpace(options.TokenKeyFile) ? defaultKeyFile : options.TokenKeyFile);
        }

        return new TokenCipher(keys);
    }

    internal static byte[] LoadOrCreateKeyFile(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = RandomNumberGenerator.GetBytes(32);
        // A name of its own: two processes writing one temporary file could each keep a different key.
        var tmp = $"{path}.{Guid.NewGuid():N}.tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(tmp, fileOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        try
        {
            // Two processes starting at once: the first key written wins, both use it.
            File.Move(tmp, path, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(tmp);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        return key;
    }
}
