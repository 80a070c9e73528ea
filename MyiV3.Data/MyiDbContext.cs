using Microsoft.EntityFrameworkCore;
using MyiV3.Data.Entities;

namespace MyiV3.Data;

public sealed class MyiDbContext(DbContextOptions<MyiDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<SpotifyAuth> SpotifyAuth => Set<SpotifyAuth>();
    public DbSet<UserSettings> UserSettings => Set<UserSettings>();
    public DbSet<Track> Tracks => Set<Track>();
    public DbSet<Artist> Artists => Set<Artist>();
    public DbSet<Album> Albums => Set<Album>();
    public DbSet<TrackArtist> TrackArtists => Set<TrackArtist>();
    public DbSet<TrackAlias> TrackAliases => Set<TrackAlias>();
    public DbSet<ListeningEvent> ListeningEvents => Set<ListeningEvent>();
    public DbSet<UserTrackStats> UserTrackStats => Set<UserTrackStats>();
    public DbSet<UserArtistStats> UserArtistStats => Set<UserArtistStats>();
    public DbSet<UserAlbumStats> UserAlbumStats => Set<UserAlbumStats>();
    public DbSet<UserTimeBucketStats> UserTimeBucketStats => Set<UserTimeBucketStats>();
    public DbSet<UserHourStats> UserHourStats => Set<UserHourStats>();
    public DbSet<UserWeekdayHourStats> UserWeekdayHourStats => Set<UserWeekdayHourStats>();
    public DbSet<UserMonthTracks> UserMonthTracks => Set<UserMonthTracks>();
    public DbSet<UserMonthArtists> UserMonthArtists => Set<UserMonthArtists>();
    public DbSet<SpotifyTopTrack> SpotifyTopTracks => Set<SpotifyTopTrack>();
    public DbSet<SpotifyTopArtist> SpotifyTopArtists => Set<SpotifyTopArtist>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();
    public DbSet<MetadataRefreshLog> MetadataRefreshLog => Set<MetadataRefreshLog>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MyiDbContext).Assembly);
    }
}
