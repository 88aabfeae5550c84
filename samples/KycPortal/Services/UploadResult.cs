namespace KycPortal.Services;

/// <summary>Either a processed image or the message shown next to the form field.</summary>
public readonly record struct UploadResult(ProcessedImage? Image, string? Error)
{
    public static UploadResult Ok(ProcessedImage image) => new(image, null);

    public static UploadResult Fail(string error) => new(null, error);
}
