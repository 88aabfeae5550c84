using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Links;
using SignedStaticFiles.Signing;

namespace SignedStaticFiles.Components;

/// <summary>
/// The parameters <see cref="SignedImage"/> and <see cref="SignedLink"/> share, and the one way they mint: the
/// generator applies every rule of the folder the path belongs to; this class only says who the viewer is (from
/// <see cref="AuthenticationStateProvider"/>), where the app is mounted (from <see cref="NavigationManager.BaseUri"/>),
/// and maps a rule that failed to the parameter that carried the value. Works in static server rendering and in
/// interactive server rendering, with no <see cref="HttpContext"/>.
/// </summary>
/// <remarks>
/// A link is minted when the component first renders; a later render mints again only when a parameter or the user
/// differs from the last mint: an interactive re-render keeps the same URL (an image is not fetched again). A value the folder cannot honour throws
/// <see cref="InvalidOperationException"/> naming the parameter and the component, never a silently weaker link.
/// </remarks>
public abstract class SignedComponentBase : ComponentBase
{
    private MintInputs? _minted;

    /// <summary>Creates the component; only the package's components derive from it.</summary>
    private protected SignedComponentBase()
    {
    }

    /// <summary>
    /// How long the link works. Default <see langword="null"/>: the folder's
    /// <see cref="SignedStaticFilesOptions.DefaultLifetime"/>. Must be positive and at most its
    /// <see cref="SignedStaticFilesOptions.MaxLifetime"/>.
    /// </summary>
    [Parameter]
    public TimeSpan? Lifetime { get; set; }

    /// <summary>
    /// Whether the link is bound to the signed-in user (the folder's <see cref="SignedStaticFilesOptions.UserIdClaimType"/>
    /// claim). Default <see langword="true"/>; an anonymous viewer's links are never bound.
    /// </summary>
    [Parameter]
    public bool BindToUser { get; set; } = true;

    /// <summary>
    /// Whether the link works once (<see cref="SignedUrlOptions.SingleUse"/>): one GET is served whole, any later use
    /// answers 410. Default <see langword="false"/>.
    /// </summary>
    [Parameter]
    public bool SingleUse { get; set; }

    /// <summary>
    /// The text stamped on images served through the link (<see cref="SignedUrlOptions.WatermarkText"/>, sealed in the
    /// token): a template with <c>{user}</c>, <c>{utc:format}</c> and <c>{link}</c>. Default <see langword="null"/>: the
    /// folder's <see cref="WatermarkOptions.Mode"/> and <see cref="WatermarkOptions.Text"/> decide. The folder needs an
    /// image engine.
    /// </summary>
    [Parameter]
    public string? Watermark { get; set; }

    /// <summary>
    /// The name of one of the folder's redaction profiles (<see cref="SignedUrlOptions.Redaction"/>): images served
    /// through the link have those regions masked. Default <see langword="null"/>.
    /// </summary>
    [Parameter]
    public string? Redaction { get; set; }

    /// <summary>Every other attribute (<c>alt</c>, <c>class</c>, <c>loading</c>, <c>data-*</c>, …), rendered as written.</summary>
    [Parameter(CaptureUnmatchedValues = true)]
    public IReadOnlyDictionary<string, object>? AdditionalAttributes { get; set; }

    /// <summary>The signed URL (PathBase included) once minted; <see langword="null"/> before the first mint.</summary>
    private protected string? Url { get; private set; }

    [Inject]
    private IServiceProvider Services { get; set; } = null!;

    /// <summary>The component's tag name in error messages (<c>SignedImage</c>).</summary>
    private protected abstract string ComponentName { get; }

    /// <summary>The name of the parameter that holds the path (<c>Src</c>, <c>Href</c>).</summary>
    private protected abstract string PathParameter { get; }

    /// <summary>The app-relative path to sign.</summary>
    private protected abstract string? PathValue { get; }

    /// <summary>The download name to seal, or <see langword="null"/>.</summary>
    private protected virtual string? DownloadNameValue => null;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        var user = await GetUserAsync();
        var inputs = new MintInputs(PathValue, Lifetime, BindToUser, SingleUse, Watermark, Redaction, DownloadNameValue, user);
        if (Url is not null && inputs == _minted)
        {
            return;
        }

        Url = Mint(inputs);
        _minted = inputs;
    }

    /// <summary>The error a bad parameter value raises: names the parameter and the component.</summary>
    private protected InvalidOperationException Error(string parameter, string problem) =>
        new($"The '{parameter}' parameter of <{ComponentName}> is invalid: {problem}");

    private string Mint(MintInputs inputs)
    {
        if (string.IsNullOrWhiteSpace(inputs.Path))
        {
            throw Error(PathParameter, $"the value is {(inputs.Path is null ? "missing" : "empty")}: give the app-relative path of a file below a protected folder, such as '/protected/file.jpg'.");
        }

        var generator = ViewerLinks.GeneratorFrom(Services, "<" + ComponentName + ">");
        var options = new SignedUrlOptions
        {
            Lifetime = inputs.Lifetime,
            BindToUser = inputs.BindToUser,
            SingleUse = inputs.SingleUse,
            WatermarkText = inputs.Watermark,
            Redaction = inputs.Redaction,
            DownloadFileName = inputs.DownloadName,
        };
        var fault = ViewerLinks.TryMint(generator, inputs.User, inputs.Path, options, out var url, out var message);
        if (fault != MintFault.None)
        {
            throw Error(ParameterOf(fault, inputs), message);
        }

        return ViewerLinks.WithPathBase(PathBase(), url!);
    }

    private string ParameterOf(MintFault fault, MintInputs inputs) => fault switch
    {
        MintFault.Lifetime => nameof(Lifetime),
        MintFault.UserId => nameof(BindToUser),
        MintFault.DownloadFileName => "DownloadName",
        MintFault.WatermarkText => nameof(Watermark),
        MintFault.Redaction or MintFault.RedactionRegions => nameof(Redaction),
        MintFault.OptionsTooLong => inputs.Watermark is not null ? nameof(Watermark) : inputs.DownloadName is not null ? "DownloadName" : PathParameter,
        _ => PathParameter,
    };

    /// <summary>
    /// The viewer, from the app's <see cref="AuthenticationStateProvider"/>: in static rendering the framework fills
    /// it from the request's user, in an interactive circuit from the circuit's. No provider means no signed-in user.
    /// </summary>
    private async Task<ClaimsPrincipal?> GetUserAsync() =>
        Services.GetService<AuthenticationStateProvider>() is { } provider
            ? (await provider.GetAuthenticationStateAsync()).User
            : null;

    /// <summary>
    /// The app's PathBase as the browser sees it: the path of <see cref="NavigationManager.BaseUri"/>
    /// (<c>https://host/app/</c> → <c>/app</c>). Outside a Blazor app (a bare renderer) there is none.
    /// </summary>
    private PathString PathBase()
    {
        if (Services.GetService<NavigationManager>() is not { } navigation)
        {
            return PathString.Empty;
        }

        string baseUri;
        try
        {
            baseUri = navigation.BaseUri;
        }
        catch (InvalidOperationException)
        {
            return PathString.Empty; // a renderer outside a request or circuit: nothing to put in front
        }

        var path = new Uri(baseUri, UriKind.Absolute).AbsolutePath.TrimEnd('/');
        return path.Length == 0 ? PathString.Empty : PathString.FromUriComponent(path);
    }

    private sealed record MintInputs(
        string? Path, TimeSpan? Lifetime, bool BindToUser, bool SingleUse, string? Watermark, string? Redaction, string? DownloadName, ClaimsPrincipal? User);
}
