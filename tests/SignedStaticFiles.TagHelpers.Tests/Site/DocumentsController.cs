using Microsoft.AspNetCore.Mvc;

namespace SignedStaticFiles.TagHelpers.Tests.Site;

/// <summary>The MVC side of the test site: each action renders one view of <c>Views/Documents</c>.</summary>
public sealed class DocumentsController : Controller
{
    /// <summary>Values that come from the model rather than from literal markup (Razor encodes them).</summary>
    public static readonly DocumentsModel Model = new(
        FrontPath: "~/protected/kyc/42/front&back \"1\".png",
        Caption: "Tom's \"ID\" <front> & back");

    public IActionResult Index() => View(Model);

    public IActionResult Unbound() => View();

    public IActionResult BadLifetime() => View();

    public IActionResult OutsideFolder() => View();

    public IActionResult AspAction() => View();

    public IActionResult EveryAttribute() => View();

    public IActionResult WatermarkOnPlainFolder() => View();

    public IActionResult UnknownRedaction() => View();

    public IActionResult SingleUseOnBoth() => View();
}

public sealed record DocumentsModel(string FrontPath, string Caption);
