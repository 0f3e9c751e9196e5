using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Xunit;

namespace Purview.Functions.Tests.InProcess;

/// <summary>The app's worker container as the deployed app builds it: every function class resolves, functions answer in-process.</summary>
public sealed class FunctionsAppTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    private static readonly IReadOnlyDictionary<string, System.Reflection.MethodInfo> Functions = FunctionsWorker.FunctionsOf(typeof(Program).Assembly);

    [Fact]
    public void Every_function_class_resolves_from_the_worker_container_for_every_function_in_the_metadata()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        var names = metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();

        var resolved = names.Select(name =>
        {
            var method = Functions[name];
            var instance = fixture.Worker.Activate(method, new TestFunctionContext(fixture.Worker.Services, name, method.Name));
            return (name, method, instance);
        }).ToList();

        Assert.Equal(Functions.Count, names.Count);
        Assert.All(resolved, r => Assert.True(r.method.IsStatic || r.method.DeclaringType!.IsInstanceOfType(r.instance), $"{r.name}: no instance of {r.method.DeclaringType}"));
        Assert.True(resolved.Select(r => r.method.DeclaringType).Distinct().Count() >= 12);
    }

    [Fact]
    public async Task Health_answers_200_with_every_storage_service_up()
    {
        var answer = await fixture.Worker.HttpAsync(Functions["Health"], "GET", "/healthz", principal: null);

        Assert.Equal(200, answer.Status);
        Assert.Equal("Healthy", JsonDocument.Parse(answer.Body).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_data_source_put_through_one_function_is_read_back_through_another()
    {
        var put = await fixture.Worker.HttpAsync(Functions["PutDataSource"], "PUT", "/scan/datasources/inproc1?api-version=2023-09-01", json:
            """{"kind":"AzureStorage","properties":{"endpoint":"https://acct.blob.core.windows.net/","collection":{"referenceName":"root","type":"CollectionReference"}}}""");
        var get = await fixture.Worker.HttpAsync(Functions["GetDataSource"], "GET", "/scan/datasources/inproc1?api-version=2023-09-01");
        var anonymous = await fixture.Worker.HttpAsync(Functions["GetDataSource"], "GET", "/scan/datasources/inproc1?api-version=2023-09-01", principal: null);

        Assert.Equal(201, put.Status);
        Assert.Equal(200, get.Status);
        Assert.Equal("inproc1", JsonDocument.Parse(get.Body).RootElement.GetProperty("name").GetString());
        Assert.Equal(401, anonymous.Status);
    }
}
