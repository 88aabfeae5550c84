using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace SignedStaticFiles.Components;

/// <summary>
/// <c>&lt;SignedImage Src="/protected/kyc/42/front.jpg" alt="Front" /&gt;</c> renders an <c>&lt;img&gt;</c> whose
/// <c>src</c> is a signed link to that file (PathBase included) with <c>referrerpolicy="no-referrer"</c>, keeping
/// every other attribute as written. The link is bound to the signed-in user unless <c>BindToUser="false"</c>.
/// </summary>
/// <remarks>
/// Static server rendering and interactive server rendering; interactive WebAssembly cannot mint (the key ring never
/// leaves the server): see docs/app-kinds.md for the pattern. A value the folder cannot honour throws
/// <see cref="InvalidOperationException"/> naming the parameter and the component.
/// </remarks>
public sealed class SignedImage : SignedComponentBase
{
    /// <summary>
    /// The app-relative, unencoded path of the image (<c>/protected/kyc/42/front.jpg</c> or <c>~/protected/…</c>),
    /// below a protected folder's <see cref="SignedStaticFilesOptions.RequestPath"/>. Required.
    /// </summary>
    [Parameter]
    [EditorRequired]
    public string? Src { get; set; }

    private protected override string ComponentName => nameof(SignedImage);

    private protected override string PathParameter => nameof(Src);

    private protected override string? PathValue => Src;

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Url is null)
        {
            return; // the viewer is still being resolved: no image without its link
        }

        builder.OpenElement(0, "img");
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        builder.AddAttribute(2, "src", Url);

        // The page URL is not sent along with the image request; the path's own Referrer-Policy covers the file.
        builder.AddAttribute(3, "referrerpolicy", "no-referrer");
        builder.CloseElement();
    }
}
