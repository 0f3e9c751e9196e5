using System.Reflection;
using System.Text.Json;
using Xunit;

namespace Purview.Functions.Tests.InProcess;

/// <summary>The app's functions by name, and the few calls most tests make through them (collections, role grants, JSON answers).</summary>
internal static class WorkerCalls
{
    public static IReadOnlyDictionary<string, MethodInfo> Functions { get; } = FunctionsWorker.FunctionsOf(typeof(Program).Assembly);

    /// <summary>Calls the function and checks the status (the body is in the message when it differs).</summary>
    public static async Task<FunctionAnswer> CallAsync(this FunctionsWorker worker, string function, string httpMethod, string path, int expected,
        string? principal = "admin", string? json = null)
    {
        var answer = await worker.HttpAsync(Functions[function], httpMethod, path, principal, json);
        Assert.True(answer.Status == expected, $"{function} {httpMethod} {path} as {principal ?? "anonymous"}: expected {expected}, got {answer.Status} {answer.Body}");
        return answer;
    }

    public static async Task<JsonElement> JsonAsync(this FunctionsWorker worker, string function, string httpMethod, string path, int expected = 200,
        string? principal = "admin", string? json = null) =>
        (await worker.CallAsync(function, httpMethod, path, expected, principal, json)).Json();

    public static JsonElement Json(this FunctionAnswer answer) => JsonDocument.Parse(answer.Body).RootElement.Clone();

    public static Task PutCollectionAsync(this FunctionsWorker worker, string name, string parent = "root") =>
        worker.CallAsync("PutCollection", "PUT", $"/account/collections/{name}", 201,
            json: JsonSerializer.Serialize(new { friendlyName = name, parentCollection = new { referenceName = parent } }));

    /// <summary>Grants through the role-assignment function; returns its status (201, or 400 for a role the collection cannot hold).</summary>
    public static async Task<int> GrantAsync(this FunctionsWorker worker, string collection, string role, string principal) =>
        (await worker.HttpAsync(Functions["PutRoleAssignment"], "PUT", $"/account/collections/{collection}/roleAssignments/{role}/{principal}")).Status;
}
