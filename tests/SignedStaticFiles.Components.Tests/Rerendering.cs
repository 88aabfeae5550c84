using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace SignedStaticFiles.Components.Tests;

/// <summary>
/// A parent that re-renders its <see cref="SignedImage"/> on demand, as an interactive page does on every state change.
/// </summary>
public sealed class Rerendering : ComponentBase
{
    public static Rerendering? Last { get; private set; }

    [Parameter]
    public TimeSpan? Lifetime { get; set; }

    public Task RenderAgainAsync(TimeSpan? lifetime) => InvokeAsync(() =>
    {
        Lifetime = lifetime;
        StateHasChanged();
    });

    protected override void OnInitialized() => Last = this;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<SignedImage>(0);
        builder.AddComponentParameter(1, nameof(SignedImage.Src), "/protected/kyc/front.txt");
        builder.AddComponentParameter(2, nameof(SignedImage.Lifetime), Lifetime);
        builder.AddComponentParameter(3, "id", "again");
        builder.CloseComponent();
    }
}
