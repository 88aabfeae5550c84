namespace KycPortal.Models;

/// <summary>One row of the reviewer's regions form: a side and a rectangle in fractions 0–1; an empty row is ignored.</summary>
public sealed class RegionFormRow
{
    public string? Side { get; set; }

    public double? X { get; set; }

    public double? Y { get; set; }

    public double? Width { get; set; }

    public double? Height { get; set; }

    public bool IsEmpty => X is null && Y is null && Width is null && Height is null;
}
