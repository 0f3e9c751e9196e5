using System.Globalization;

namespace Purview.Bench;

/// <summary>
/// One measured figure of a benchmark, with the reference it is compared with in the same run (when one applies)
/// and its target. <see cref="Ratio"/> is how many times better than the reference ours is: ours / reference for
/// rates, reference / ours for latencies (<see cref="LowerIsBetter"/>) - only between figures of the same unit: events/s
/// next to entities/s is shown side by side, without a ratio, since one event is not one entity.
/// </summary>
internal sealed record Figure(string Section, string Name, double Value, string Unit)
{
    /// <summary>The reference's figure, measured on the same Azurite in the same run.</summary>
    public double? Reference { get; init; }

    /// <summary>The reference's unit when it differs from <see cref="Unit"/> (e.g. entities/s next to events/s).</summary>
    public string? ReferenceUnit { get; init; }

    /// <summary>What the reference is, e.g. "JS transactions of 100".</summary>
    public string? ReferenceName { get; init; }

    /// <summary>True for latencies and durations: a smaller value is better.</summary>
    public bool LowerIsBetter { get; init; }

    /// <summary>The target, e.g. "&gt;= 500/s" or "&gt;= 0.5x" (null when the figure is only reported).</summary>
    public string? Target { get; init; }

    /// <summary>Whether the target is met (null when there is none).</summary>
    public bool? Met { get; init; }

    public double? Ratio => Reference is { } r && r > 0 && Value > 0 && SameUnit ? (LowerIsBetter ? r / Value : Value / r) : null;

    public bool SameUnit => ReferenceUnit is null || string.Equals(ReferenceUnit, Unit, StringComparison.Ordinal);

    public string ValueText => Format(Value) + " " + Unit;

    public string ReferenceText => Reference is { } r ? Format(r) + " " + (ReferenceUnit ?? Unit) + (ReferenceName is null ? "" : " (" + ReferenceName + ")") : "";

    public string RatioText => Ratio is { } x ? x.ToString(x >= 10 ? "F0" : "F2", CultureInfo.InvariantCulture) + "x" : "";

    public string Status => Met switch { true => "met", false => "NOT met", null => "" };

    private static string Format(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "N0" : Math.Abs(value) >= 10 ? "N1" : "N2", CultureInfo.InvariantCulture);
}
