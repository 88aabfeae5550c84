using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.TagHelpers.Tests.Site;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.TagHelpers.Tests;

/// <summary>
/// The suite's <see cref="SignedHost"/> with MVC views and Razor Pages compiled into this assembly, a
/// header-driven authentication scheme, and the files the views point at.
/// </summary>
internal static class TagHelperSite
{
    /// <summary>A real (tiny) PNG: what the rendered &lt;img src&gt; must bring back byte for byte.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public static readonly byte[] Pdf = "%PDF-1.4\n% contract 42\n%%EOF\n"u8.ToArray();

    public static async Task<SignedHost> StartAsync(string? pathBase = null)
    {
        var host = await SignedHost.StartAsync(
            builder: b =>
            {
                b.Services.AddAuthentication(HeaderAuthentication.SchemeName)
                    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
                b.Services.AddAuthorization();
                b.Services.AddControllersWithViews().AddApplicationPart(typeof(DocumentsController).Assembly);
                b.Services.AddRazorPages();
            },
            pipeline: app =>
            {
                if (pathBase is not null)
                {
                    app.UsePathBase(pathBase);
                }

                app.UseSignedStaticFiles();
                app.UseRouting();
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapControllerRoute("default", "{controller=Documents}/{action=Index}");
                app.MapRazorPages();
            });
        host.WriteFile("kyc/42/front.png", Png);
        host.WriteFile("kyc/42/front&back \"1\".png", Png);
        host.WriteFile("kyc/42/contract.pdf", Pdf);
        return host;
    }

    public static HttpRequestMessage Get(string url, string? user)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (user is not null)
        {
            request.Headers.Add(HeaderAuthentication.Header, user);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> SendAsync(this SignedHost host, string url, string? user) =>
        await host.Client.SendAsync(Get(url, user));

    /// <summary>Renders a page as <paramref name="user"/> and returns its raw HTML and the parsed document.</summary>
    public static async Task<(string Html, IDocument Document)> RenderAsync(this SignedHost host, string url, string? user)
    {
        using var response = await host.SendAsync(url, user);
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync();
        return (html, await new HtmlParser().ParseDocumentAsync(html));
    }

    public static IElement ById(this IDocument document, string id) =>
        document.GetElementById(id) ?? throw new Xunit.Sdk.XunitException($"No element #{id} in the page.");
}
