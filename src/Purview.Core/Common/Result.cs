namespace Purview.Core.Common;

/// <summary>What kind of expected failure an operation met; the API maps each kind to one HTTP status in one place.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,
    PreconditionFailed,
    Gone,
}

/// <summary>An expected failure: a value, not an exception. <paramref name="Code"/> is stable and machine-readable.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Message, IReadOnlyList<ValidationError> Fields)
{
    public static Error Validation(string field, string message) => new(ErrorKind.Validation, "InvalidInput", message, [new ValidationError(field, message)]);

    public static Error Validation(IReadOnlyList<ValidationError> fields) =>
        new(ErrorKind.Validation, "InvalidInput", fields.Count == 1 ? fields[0].Message : $"{fields.Count} fields are invalid.", fields);

    public static Error NotFound(string what) => new(ErrorKind.NotFound, "NotFound", what, []);

    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message, []);

    public static Error Forbidden(string message) => new(ErrorKind.Forbidden, "Forbidden", message, []);
}

/// <summary>The outcome of a use case: a value or an <see cref="Error"/>.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Error? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }
    public Error? Error { get; }
    public bool IsSuccess => Error is null;

    public static Result<T> Success(T value) => new(value, null);

    public static Result<T> Failure(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

#pragma warning disable CA2225 // Implicit conversions are the point: use cases return a value or an error without ceremony.
    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(Error error) => Failure(error);
#pragma warning restore CA2225
}
