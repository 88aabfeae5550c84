namespace KycPortal.Services;

/// <summary>Either an upload that passed the cheap checks, or the message shown next to its form field.</summary>
public readonly record struct UploadCheck(CheckedUpload? Upload, string? Error)
{
    public static UploadCheck Ok(CheckedUpload upload) => new(upload, null);

    public static UploadCheck Fail(string error) => new(null, error);
}
