using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace SignedStaticFiles.Components;

/// <summary>
/// <c>&lt;SignedLink Href="/contracts/42.pdf" DownloadName="contract.pdf"&gt;Contract&lt;/SignedLink&gt;</c> renders an
/// <c>&lt;a&gt;</c> whose <c>href</c> is a signed link to that file (PathBase included), with <c>rel="noreferrer"</c>
/// (merged into the author's <c>rel</c>) and <c>referrerpolicy="no-referrer"</c>, and a <c>download</c> attribute when
/// <see cref="DownloadName"/> is set. The link is bound to the signed-in user unless <c>BindToUser="false"</c>.
/// </summary>
/// <remarks>
/// Static server rendering and interactive server rendering; interactive WebAssembly cannot mint: see
/// docs/app-kinds.md. A value the folder cannot honour throws <see cref="InvalidOperationException"/> naming the
/// parameter and the component.
/// </remarks>
public sealed class SignedLink : SignedComponentBase
{
    /// <summary>
    /// The app-relative, unencoded path of the file (<c>/protected/kyc/42/contract.pdf</c> or <c>~/protected/…</c>),
    /// below a protected folder's <see cref="SignedStaticFilesOptions.RequestPath"/>. Required.
    /// </summary>
    [Parameter]
    [EditorRequired]
    public string? Href { get; set; }

    /// <summary>
    /// The file name the browser saves the file under: the link is served with <c>Content-Disposition: attachment</c>
    /// (<see cref="SignedUrlOptions.DownloadFileName"/>, sealed in the token) and the tag gets a matching
    /// <c>download</c> attribute unless it has one. Default <see langword="null"/>: the file opens inline.
    /// </summary>
    [Parameter]
    public string? DownloadName { get; set; }

    /// <summary>The link's content.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    private protected override string ComponentName => nameof(SignedLink);

    private protected override string PathParameter => nameof(Href);

    private protected override string? PathValue => Href;

    private protected override string? DownloadNameValue => DownloadName;

    /// <inheritdoc />
    protected override Task OnParametersSetAsync()
    {
        if (DownloadName is { } name && string.IsNullOrWhiteSpace(name))
        {
            throw Error(nameof(DownloadName), "the value is empty; give the file name to save under, or leave it out for an inline link.");
        }

        return base.OnParametersSetAsync();
    }

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Url is null)
        {
            return;
        }

        builder.OpenElement(0, "a");
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        builder.AddAttribute(2, "href", Url);
        if (DownloadName is not null && !HasAttribute("download"))
        {
            builder.AddAttribute(3, "download", DownloadName);
        }

        // Following the link must not tell the file's origin where it came from, nor the next hop the token.
        builder.AddAttribute(4, "rel", WithNoReferrer(AttributeText("rel")));
        builder.AddAttribute(5, "referrerpolicy", "no-referrer");
        builder.AddContent(6, ChildContent);
        builder.CloseElement();
    }

    private bool HasAttribute(string name) => AttributeText(name) is not null;

    private string? AttributeText(string name)
    {
        if (AdditionalAttributes is null)
        {
            return null;
        }

        foreach (var (key, value) in AdditionalAttributes)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        return null;
    }

    /// <summary>Keeps the author's tokens (<c>nofollow</c>, <c>external</c>, …) and adds <c>noreferrer</c> once.</summary>
    private static string WithNoReferrer(string? rel)
    {
        if (string.IsNullOrWhiteSpace(rel))
        {
            return "noreferrer";
        }

        foreach (var token in rel.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (token.Equals("noreferrer", StringComparison.OrdinalIgnoreCase))
            {
                return rel.Trim();
            }
        }

        return rel.Trim() + " noreferrer";
    }
}
