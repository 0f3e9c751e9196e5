namespace Purview.Core.Common;

/// <summary>An expected input failure: which field, and what a caller should fix.</summary>
public sealed record ValidationError(string Field, string Message);
