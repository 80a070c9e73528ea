using NpgsqlTypes;

namespace MyiV3.Data.Entities;

/// <summary>Where a play came from; decides which copy wins when two sources report the same play.</summary>
public enum PlaySource
{
    [PgName("API")] Api,
    [PgName("IMPORT")] Import,
    [PgName("BACKFILL")] Backfill,
}

/// <summary>Spotify's personalisation windows (about 4 weeks, 6 months, all time).</summary>
public enum Term
{
    [PgName("SHORT_TERM")] ShortTerm,
    [PgName("MEDIUM_TERM")] MediumTerm,
    [PgName("LONG_TERM")] LongTerm,
}

public enum BucketType
{
    [PgName("DAY")] Day,
    [PgName("WEEK")] Week,
    [PgName("MONTH")] Month,
}

public enum JobStatus
{
    [PgName("PENDING")] Pending,
    [PgName("PROCESSING")] Processing,
    [PgName("COMPLETED")] Completed,
    [PgName("FAILED")] Failed,
}
