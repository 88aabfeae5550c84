using System.Security.Claims;
using System.Text.Encodings.Web;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewEngines;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.Runtime.TagHelpers;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using SignedStaticFiles.TagHelpers;

namespace SignedStaticFiles.Benchmarks;

/// <summary>
/// B5: rendering 50 <c>&lt;signed-img&gt;</c> tags the way a compiled Razor view does — the tag helper
/// created by MVC's <see cref="ITagHelperFactory"/> (constructor injection + <c>[ViewContext]</c>), run by
/// the Razor runtime's <see cref="TagHelperRunner"/>, its output written HTML-encoded — over the real
/// registration (<c>AddSignedStaticFiles</c>, DataProtection with a file-system key ring).
/// <c>OperationsPerInvoke = 50</c>: every figure is per tag. Target ≤ 25 µs per tag.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project tests/SignedStaticFiles.Benchmarks -- --filter '*TagHelperBenchmarks*'</c>
/// </remarks>
[MemoryDiagnoser]
public class TagHelperBenchmarks
{
    private const int Tags = 50;

    private ServiceProvider _services = null!;
    private string _keys = null!;
    private ViewContext _anonymous = null!;
    private ViewContext _signedIn = null!;
    private ITagHelperFactory _factory = null!;
    private ISignedUrlGenerator _generator = null!;
    private ITimeLimitedDataProtector _raw = null!;
    private readonly byte[] _payload = new byte[64];
    private readonly TagHelperRunner _runner = new();
    private readonly StringWriter _writer = new();

    [GlobalSetup]
    public void Setup()
    {
        _keys = Path.Combine(Path.GetTempPath(), "ssf-bench-keys-" + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName("SignedStaticFiles.Benchmarks").PersistKeysToFileSystem(new DirectoryInfo(_keys));
        services.AddSignedStaticFiles(o => o.FileProvider = new NullFileProvider());
        services.AddMvcCore().AddRazorViewEngine();
        _services = services.BuildServiceProvider();
        _factory = _services.GetRequiredService<ITagHelperFactory>();
        _generator = _services.GetRequiredService<ISignedUrlGenerator>();
        _raw = _services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Bench").ToTimeLimitedDataProtector();
        System.Text.Encoding.UTF8.GetBytes("/protected/kyc/42/front.jpg", _payload);
        _anonymous = NewViewContext(user: null);
        _signedIn = NewViewContext(user: "alice-42");

        // Mint once so the key ring is created and loaded before measuring.
        _generator.GetSignedUrl("/protected/warmup.jpg");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        try { Directory.Delete(_keys, recursive: true); } catch (IOException) { }
    }

    /// <summary>Baseline: the same 50 tags as literal <c>&lt;img&gt;</c> markup (what a compiled view writes for a plain tag).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Tags)]
    public int PlainImgMarkup()
    {
        var sb = _writer.GetStringBuilder().Clear();
        for (var i = 0; i < Tags; i++)
        {
            _writer.Write("<img src=\"/protected/kyc/42/front.jpg\" alt=\"ID front\" class=\"doc\" loading=\"lazy\">");
        }

        return sb.Length;
    }

    /// <summary>
    /// The floor: what one link costs in DataProtection alone — a time-limited protect of a 64-byte
    /// payload (about the size of a path + link id + expiry), base64url-encoded.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Tags)]
    public int RawTimeLimitedProtect()
    {
        var length = 0;
        var expires = DateTimeOffset.UtcNow.AddMinutes(2);
        for (var i = 0; i < Tags; i++)
        {
            length += System.Buffers.Text.Base64Url.EncodeToString(_raw.Protect(_payload, expires)).Length;
        }

        return length;
    }

    /// <summary>The signing share alone: one mint (one DataProtection protect) per tag.</summary>
    [Benchmark(OperationsPerInvoke = Tags)]
    public int MintOnly()
    {
        var length = 0;
        for (var i = 0; i < Tags; i++)
        {
            length += _generator.GetSignedUrl("/protected/kyc/42/front.jpg", TimeSpan.FromMinutes(2)).Length;
        }

        return length;
    }

    /// <summary><c>&lt;signed-img src lifetime alt class loading /&gt;</c> on an anonymous request.</summary>
    [Benchmark(OperationsPerInvoke = Tags)]
    public Task<int> SignedImg() => RenderImagesAsync(_anonymous);

    /// <summary>The same tags on a signed-in request: every link bound to the user.</summary>
    [Benchmark(OperationsPerInvoke = Tags)]
    public Task<int> SignedImgBoundToUser() => RenderImagesAsync(_signedIn);

    /// <summary><c>&lt;a signed-href download-name&gt;</c> on a signed-in request.</summary>
    [Benchmark(OperationsPerInvoke = Tags)]
    public async Task<int> SignedHref()
    {
        var sb = _writer.GetStringBuilder().Clear();
        for (var i = 0; i < Tags; i++)
        {
            var helper = _factory.CreateTagHelper<SignedLinkTagHelper>(_signedIn);
            var context = NewExecutionContext("a", TagMode.StartTagAndEndTag);
            context.Add(helper);
            helper.SignedHref = "~/protected/kyc/42/contract.pdf";
            context.AddTagHelperAttribute("signed-href", helper.SignedHref, HtmlAttributeValueStyle.DoubleQuotes);
            helper.DownloadName = "contract.pdf";
            context.AddTagHelperAttribute("download-name", helper.DownloadName, HtmlAttributeValueStyle.DoubleQuotes);
            context.AddHtmlAttribute("class", new Microsoft.AspNetCore.Html.HtmlString("btn"), HtmlAttributeValueStyle.DoubleQuotes);
            await _runner.RunAsync(context);
            context.Output.WriteTo(_writer, HtmlEncoder.Default);
        }

        return sb.Length;
    }

    private async Task<int> RenderImagesAsync(ViewContext viewContext)
    {
        var sb = _writer.GetStringBuilder().Clear();
        for (var i = 0; i < Tags; i++)
        {
            // What the generated view code does per tag: create, set bound properties, add attributes, run, write.
            var helper = _factory.CreateTagHelper<SignedImageTagHelper>(viewContext);
            var context = NewExecutionContext("signed-img", TagMode.SelfClosing);
            context.Add(helper);
            helper.Src = "~/protected/kyc/42/front.jpg";
            context.AddTagHelperAttribute("src", helper.Src, HtmlAttributeValueStyle.DoubleQuotes);
            helper.Lifetime = "00:02:00";
            context.AddTagHelperAttribute("lifetime", helper.Lifetime, HtmlAttributeValueStyle.DoubleQuotes);
            context.AddHtmlAttribute("alt", new Microsoft.AspNetCore.Html.HtmlString("ID front"), HtmlAttributeValueStyle.DoubleQuotes);
            context.AddHtmlAttribute("class", new Microsoft.AspNetCore.Html.HtmlString("doc"), HtmlAttributeValueStyle.DoubleQuotes);
            context.AddHtmlAttribute("loading", new Microsoft.AspNetCore.Html.HtmlString("lazy"), HtmlAttributeValueStyle.DoubleQuotes);
            await _runner.RunAsync(context);
            context.Output.WriteTo(_writer, HtmlEncoder.Default);
        }

        return sb.Length;
    }

    private static TagHelperExecutionContext NewExecutionContext(string tagName, TagMode mode) =>
        new(tagName, mode, new Dictionary<object, object>(), "bench", () => Task.CompletedTask, _ => { }, () => new DefaultTagHelperContent());

    private ViewContext NewViewContext(string? user)
    {
        var http = new DefaultHttpContext { RequestServices = _services };
        if (user is not null)
        {
            http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], "Bench"));
        }

        var actionContext = new ActionContext(http, new RouteData(), new ActionDescriptor());
        return new ViewContext(
            actionContext,
            NullView.Instance,
            new ViewDataDictionary(new EmptyModelMetadataProvider(), new ModelStateDictionary()),
            new TempDataDictionary(http, NullTempDataProvider.Instance),
            TextWriter.Null,
            new HtmlHelperOptions())
        {
            ExecutingFilePath = "/Views/Bench/Index.cshtml",
        };
    }

    private sealed class NullView : IView
    {
        public static readonly NullView Instance = new();
        public string Path => "/Views/Bench/Index.cshtml";
        public Task RenderAsync(ViewContext context) => Task.CompletedTask;
    }

    private sealed class NullTempDataProvider : ITempDataProvider
    {
        public static readonly NullTempDataProvider Instance = new();
        public IDictionary<string, object> LoadTempData(HttpContext context) => new Dictionary<string, object>();
        public void SaveTempData(HttpContext context, IDictionary<string, object> values) { }
    }
}
