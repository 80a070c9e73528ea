using Bunit;
using MudBlazor.Services;

namespace MyiV3.Tests.Web.Components;

/// <summary>A bUnit context with MudBlazor's services (its JS calls answered loosely); a test class adds what else its components need.</summary>
public abstract class MudTestContext : BunitContext
{
    protected MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }
}
