using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace SignedStaticFiles.TagHelpers;

/// <summary>
/// Renders <c>&lt;a signed-href="~/protected/…" download-name="contract.pdf"&gt;</c> as an
/// <c>&lt;a href="…?token=…"&gt;</c> whose <c>href</c> is a signed link to that file (PathBase included),
/// with <c>rel="noreferrer"</c> and <c>referrerpolicy="no-referrer"</c>, keeping every other attribute.
/// Registered with <c>@addTagHelper *, SignedStaticFiles</c>.
/// </summary>
/// <remarks>
/// When the request is signed in, the link is bound to the user (the folder's UserIdClaimType claim)
/// (<see cref="SignedUrlOptions.UserId"/>) unless <c>bind-to-user="false"</c>. Bad values (missing or
/// empty <c>signed-href</c>, an absolute URL, a path outside <see cref="SignedStaticFilesOptions.RequestPath"/>,
/// an <c>href</c> written beside it, an invalid <c>download-name</c>, an unparsable lifetime or one above
/// <see cref="SignedStaticFilesOptions.MaxLifetime"/>) throw <see cref="InvalidOperationException"/> at
/// render time, naming the attribute and the view.
/// </remarks>
[HtmlTargetElement("a", Attributes = SignedHrefAttribute)]
public sealed class SignedLinkTagHelper : SignedTagHelperBase
{
    private const string SignedHrefAttribute = "signed-href";
    private const string DownloadNameAttribute = "download-name";

    /// <summary>Creates the tag helper; Razor resolves the generator from the request's container.</summary>
    /// <param name="generator">Mints the signed link.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is null.</exception>
    public SignedLinkTagHelper(ISignedUrlGenerator generator)
        : base(generator)
    {
    }

    /// <summary>
    /// The app-relative, unencoded path of the file (<c>~/protected/kyc/42/contract.pdf</c> or
    /// <c>/protected/…</c>), below <see cref="SignedStaticFilesOptions.RequestPath"/>. Required.
    /// </summary>
    [HtmlAttributeName(SignedHrefAttribute)]
    public string? SignedHref { get; set; }

    /// <summary>
    /// The file name the browser saves the file under: the link is served with
    /// <c>Content-Disposition: attachment</c> (<see cref="SignedUrlOptions.DownloadFileName"/>, sealed in the
    /// token) and the tag gets a matching <c>download</c> attribute unless it has one. Default
    /// <see langword="null"/>: the file opens inline.
    /// </summary>
    [HtmlAttributeName(DownloadNameAttribute)]
    public string? DownloadName { get; set; }

    /// <inheritdoc />
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);

        // An author's href, or one another tag helper (asp-action, asp-page, …) has already produced:
        // rendering two hrefs would leave the browser to pick one.
        if (context.AllAttributes.ContainsName("href") || output.Attributes.ContainsName("href"))
        {
            throw Error("a", "href",
                $"an <a> with '{SignedHrefAttribute}' gets its href from it; remove the 'href' attribute (and any asp-* routing attribute).");
        }

        if (DownloadName is { } name && string.IsNullOrWhiteSpace(name))
        {
            throw Error("a", DownloadNameAttribute,
                "the value is empty; give the file name to save under, or remove the attribute for an inline link.");
        }

        var url = Mint("a", SignedHrefAttribute, SignedHref, DownloadName);

        output.Attributes.Insert(0, new TagHelperAttribute("href", url));
        if (DownloadName is not null && !output.Attributes.ContainsName("download"))
        {
            output.Attributes.SetAttribute("download", DownloadName);
        }

        // Following the link must not tell the file's origin where it came from, nor the next hop the token.
        AddNoReferrer(output.Attributes);
        output.Attributes.SetAttribute("referrerpolicy", "no-referrer");
    }

    private static void AddNoReferrer(TagHelperAttributeList attributes)
    {
        if (!attributes.TryGetAttribute("rel", out var rel) || rel.Value is null)
        {
            attributes.SetAttribute("rel", "noreferrer");
            return;
        }

        // Keep the author's tokens (nofollow, external, …) and add ours once.
        string text;
        bool encoded;
        switch (rel.Value)
        {
            case string s:
                (text, encoded) = (s, false);
                break;
            case HtmlString html:
                (text, encoded) = (html.Value ?? string.Empty, true);
                break;
            case IHtmlContent content:
                using (var writer = new StringWriter())
                {
                    content.WriteTo(writer, HtmlEncoder.Default);
                    (text, encoded) = (writer.ToString(), true);
                }

                break;
            default:
                (text, encoded) = (Convert.ToString(rel.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, false);
                break;
        }

        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (token.Equals("noreferrer", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        var value = text.Length == 0 ? "noreferrer" : text.TrimEnd() + " noreferrer";
        attributes.SetAttribute(new TagHelperAttribute("rel", encoded ? new HtmlString(value) : value, rel.ValueStyle));
    }
}
