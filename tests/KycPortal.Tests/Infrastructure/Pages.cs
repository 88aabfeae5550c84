using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace KycPortal.Tests.Infrastructure;

/// <summary>Reads pages the way a browser would (AngleSharp) and posts their forms with the antiforgery token.</summary>
public static class Pages
{
    private static readonly HtmlParser Parser = new();

    public static async Task<IDocument> GetDocumentAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}");
        return await ParseAsync(response);
    }

    public static async Task<IDocument> ParseAsync(HttpResponseMessage response) =>
        await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    public static string AntiforgeryToken(IDocument document, string formSelector = "form") =>
        document.QuerySelector($"{formSelector} input[name=__RequestVerificationToken]")?.GetAttribute("value")
        ?? throw new InvalidOperationException("The form has no antiforgery token.");

    /// <summary>Fetches the sign-in form and posts it; the answer as it came (200 page, 302, 429…).</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password)
    {
        var login = await GetDocumentAsync(client, "/Account/Login");
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["__RequestVerificationToken"] = AntiforgeryToken(login),
        }));
    }

    public static async Task SignInAsync(HttpClient client, string email, string password)
    {
        using var response = await PostSignInAsync(client, email, password);
        // A client that follows redirects (the Kestrel one does) lands on the user's home page instead.
        var landed = response.StatusCode == HttpStatusCode.OK && response.RequestMessage?.RequestUri?.AbsolutePath != "/Account/Login";
        if (response.StatusCode != HttpStatusCode.Redirect && !landed)
        {
            var page = await ParseAsync(response);
            Assert.Fail($"sign-in as {email} answered {(int)response.StatusCode}: {page.QuerySelector("main")?.TextContent.Trim()}");
        }
    }

    /// <summary>The <c>src</c> of every image of the page's document grid.</summary>
    public static IReadOnlyList<string> DocumentImageUrls(IDocument document) =>
        document.QuerySelectorAll(".documents img").Select(img => img.GetAttribute("src")!).ToList();

    /// <summary>Posts the upload form of /Kyc/Submit with the given files (null = field left empty).</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, UploadFile? front, UploadFile? back, UploadFile? selfie)
    {
        var form = await GetDocumentAsync(client, "/Kyc/Submit");
        return await PostUploadAsync(client, form, front, back, selfie);
    }

    /// <summary>Posts the upload form already fetched (<paramref name="form"/>: /Kyc/Submit) with the given files.</summary>
    public static async Task<HttpResponseMessage> PostUploadAsync(
        HttpClient client, IDocument form, UploadFile? front, UploadFile? back, UploadFile? selfie, IEnumerable<(string Field, UploadFile File)>? extra = null)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent(AntiforgeryToken(form)), "__RequestVerificationToken" },
        };
        Add(content, "IdFront", front);
        Add(content, "IdBack", back);
        Add(content, "Selfie", selfie);
        foreach (var (field, file) in extra ?? [])
        {
            Add(content, field, file);
        }

        return await client.PostAsync("/Kyc/Submit", content);
    }

    private static void Add(MultipartFormDataContent content, string field, UploadFile? file)
    {
        if (file is null)
        {
            return;
        }

        var part = new ByteArrayContent(file.Bytes);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(file.ContentType);
        content.Add(part, field, file.FileName);
    }

    /// <summary>The message shown next to a form field, or null.</summary>
    public static string? FieldError(IDocument document, string field) =>
        document.QuerySelector($"span[data-valmsg-for='{field}']")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
}

public sealed record UploadFile(string FileName, byte[] Bytes, string ContentType = "image/jpeg");
