namespace MyiV3.Jobs.Spotify;

public enum SpotifyErrorKind
{
    /// <summary>5xx, a timeout, a network error or an open circuit: try again later.</summary>
    Transient,
    /// <summary>429 with a Retry-After longer than the cap: this user waits until <see cref="SpotifyException.RetryAt"/>.</summary>
    RateLimited,
    /// <summary>401 that a fresh access token did not cure.</summary>
    Unauthorized,
    /// <summary>403: the app may not do this (e.g. batch endpoints in development mode).</summary>
    Forbidden,
    /// <summary>invalid_grant: the refresh token is revoked or expired.</summary>
    InvalidGrant,
    /// <summary>The user's credentials are quarantined (is_valid = false); they must sign in again.</summary>
    CredentialsInvalid,
    NotFound,
    BadRequest,
}

/// <summary>A classified Spotify failure: retryable (transient, rate limited) or terminal.</summary>
public sealed class SpotifyException : Exception
{
    public SpotifyException(SpotifyErrorKind kind, string message, int? statusCode = null, DateTimeOffset? retryAt = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        StatusCode = statusCode;
        RetryAt = retryAt;
    }

    public SpotifyException()
        : this(SpotifyErrorKind.Transient, "Spotify request failed")
    {
    }

    public SpotifyException(string message)
        : this(SpotifyErrorKind.Transient, message)
    {
    }

    public SpotifyException(string message, Exception inner)
        : this(SpotifyErrorKind.Transient, message, inner: inner)
    {
    }

    public SpotifyErrorKind Kind { get; }
    public int? StatusCode { get; }

    /// <summary>For <see cref="SpotifyErrorKind.RateLimited"/>: when this user may be polled again.</summary>
    public DateTimeOffset? RetryAt { get; }

    public bool IsRetryable => Kind is SpotifyErrorKind.Transient or SpotifyErrorKind.RateLimited;

    /// <summary>Failures that count towards quarantining the user's credentials.</summary>
    public bool IsAuthFailure => Kind is SpotifyErrorKind.Unauthorized or SpotifyErrorKind.InvalidGrant or SpotifyErrorKind.Forbidden;
}
