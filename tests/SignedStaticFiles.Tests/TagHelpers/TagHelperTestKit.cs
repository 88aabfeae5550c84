using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Tests.TagHelpers;

/// <summary>
/// Builds what Razor hands a tag helper — a <see cref="TagHelperContext"/> with every attribute, a
/// <see cref="TagHelperOutput"/> with only the unbound ones, a <see cref="ViewContext"/> — around a real
/// generator and protector (ephemeral DataProtection key ring), so a test can read back the minted token.
/// </summary>
internal sealed class TagHelperTestKit
{
    public const string ViewPath = "/Views/Kyc/Review.cshtml";

    public TagHelperTestKit(Action<SignedStaticFilesOptions>? configure = null, Action<ISignedStaticFilesBuilder>? addOns = null)
    {
        var root = Directory.CreateTempSubdirectory("taghelpers-").FullName;
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        var builder = services.AddSignedStaticFiles(o =>
        {
            o.RootPath = root;
            configure?.Invoke(o);
        });
        addOns?.Invoke(builder);
        var provider = services.BuildServiceProvider();
        var folder = provider.GetRequiredService<SignedStaticFiles.Folders.SignedFolderRegistry>().Folders[0];
        Options = folder.Options;
        Protector = folder.Protector;
        Generator = provider.GetRequiredService<ISignedUrlGenerator>();
    }

    public SignedStaticFilesOptions Options { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    public SignedLinkProtector Protector { get; }
    public ISignedUrlGenerator Generator { get; }

    public static ViewContext View(string? userId = null, bool signedIn = false, string pathBase = "", string? executingFilePath = ViewPath)
    {
        var http = new DefaultHttpContext();
        http.Request.PathBase = new PathString(pathBase.Length == 0 ? null : pathBase);
        if (signedIn || userId is not null)
        {
            var claims = userId is null ? [new Claim(ClaimTypes.Name, "nobody")] : new[] { new Claim(ClaimTypes.NameIdentifier, userId) };
            http.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
        }

#pragma warning disable CS0618 // The parameterless constructor exists for tests.
        return new ViewContext { HttpContext = http, ExecutingFilePath = executingFilePath };
#pragma warning restore CS0618
    }

    /// <summary>The pair Razor would build for <paramref name="tagName"/>: bound attributes go to the context only.</summary>
    public static (TagHelperContext Context, TagHelperOutput Output) Tag(
        string tagName, IEnumerable<string> boundNames, params (string Name, object Value)[] attributes)
    {
        var bound = new HashSet<string>(boundNames, StringComparer.OrdinalIgnoreCase);
        var all = new TagHelperAttributeList(attributes.Select(a => new TagHelperAttribute(a.Name, a.Value)));
        var unbound = new TagHelperAttributeList(attributes.Where(a => !bound.Contains(a.Name)).Select(a => new TagHelperAttribute(a.Name, a.Value)));
        var context = new TagHelperContext(tagName, all, new Dictionary<object, object>(), "test");
        var output = new TagHelperOutput(tagName, unbound, (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        return (context, output);
    }

    public static string Render(TagHelperOutput output)
    {
        using var writer = new StringWriter();
        output.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    /// <summary>Reads back the token of a rendered URL: proves what the link carries, not just its shape.</summary>
    public SealedLink ReadToken(string url)
    {
        var query = url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..];
        Assert.StartsWith(Options.TokenParameterName + "=", query, StringComparison.Ordinal);
        var link = Protector.Unprotect(query.AsSpan(Options.TokenParameterName.Length + 1));
        Assert.NotNull(link);
        return link;
    }
}
