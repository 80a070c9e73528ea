using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data.Ingestion;

namespace MyiV3.Tests.Fixtures;

public static class EngineFactory
{
    public static (IngestionEngine Engine, StatsRebuilder Stats, RecordingNotifier Notifier) Create(TestDatabase db, TimeProvider? time = null)
    {
        var notifier = new RecordingNotifier();
        return (
            new IngestionEngine(db.DataSource, time ?? TimeProvider.System, notifier, NullLogger<IngestionEngine>.Instance),
            new StatsRebuilder(db.DataSource, notifier, NullLogger<StatsRebuilder>.Instance),
            notifier);
    }
}
