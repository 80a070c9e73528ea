using Microsoft.AspNetCore.Components.Rendering;
using MyiV3.Data.Live;
using MyiV3.Web.Live;

namespace MyiV3.Tests.Web.Live;

/// <summary>The smallest live page: counts its loads and renders the count.</summary>
public sealed class LiveProbe : LiveComponentBase
{
    private int _loads;

    public int Loads => Volatile.Read(ref _loads);

    protected override Task LoadAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _loads);
        return Task.CompletedTask;
    }

    protected override bool Wants(UserEvent e) => e is StatsChanged;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "id", "loads");
        builder.AddContent(2, _loads);
        builder.CloseElement();
    }
}
