using Bunit;
using MudBlazor.Services;

namespace MyiV3.Tests.Web.Components;

/// <summary>A bUnit context for components that need only MudBlazor (its JS calls answered loosely).</summary>
public abstract class MudTestContext : BunitContext
{
    protected MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }
}
