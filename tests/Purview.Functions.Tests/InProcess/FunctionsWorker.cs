using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Purview.Api.Identity;
using Purview.Testing;

namespace Purview.Functions.Tests.InProcess;

/// <summary>What a function answered, once its IResult was executed against the response.</summary>
public sealed record FunctionAnswer(int Status, IHeaderDictionary Headers, string Body);

/// <summary>
/// The Functions app's own worker host (<see cref="FunctionsApp.CreateBuilder"/>), built but not started - there is no
/// Functions host to talk to here - over a test's Azurite with its own storage prefix. The app's storage initializer is
/// run, function classes come from the worker's <see cref="IFunctionActivator"/> and functions are called directly
/// with the arguments their bindings would carry, as the host would call them.
/// </summary>
public sealed class FunctionsWorker : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _keyFolder;

    private FunctionsWorker(IHost host, string keyFolder, string prefix)
    {
        _host = host;
        _keyFolder = keyFolder;
        StoragePrefix = prefix;
    }

    public IServiceProvider Services => _host.Services;

    public string StoragePrefix { get; }

    /// <summary>Every [Function] method of an assembly (the app's, or a modified copy of it), by function name.</summary>
    public static IReadOnlyDictionary<string, MethodInfo> FunctionsOf(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(p => p.Attribute is not null)
            .ToDictionary(p => p.Attribute!.Name, p => p.Method, StringComparer.Ordinal);
    }

    public static async Task<FunctionsWorker> StartAsync(AzuriteFixture azurite, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var keyFolder = Path.Combine(Path.GetTempPath(), "purview-tests", Guid.NewGuid().ToString("N"));
        var prefix = settings?.GetValueOrDefault("Storage:Prefix") ?? "f" + Guid.NewGuid().ToString("N")[..8];
        var all = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage:Prefix"] = prefix,
            ["Identity:Development:KeyPath"] = Path.Combine(keyFolder, "devtoken.key"),
            ["RateLimiting:PermitsPerSecond"] = "100000",
            // What the Functions host passes a worker it starts; the worker is never started here, so nothing connects.
            ["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:9",
            ["Functions:Worker:WorkerId"] = "in-process-tests",
            ["Functions:Worker:RequestId"] = "in-process-tests",
            ["Functions:Worker:GrpcMaxMessageLength"] = "2147483647",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var builder = FunctionsApp.CreateBuilder([], all);
        // As `func start` runs it locally: development tokens are accepted only in Development.
        builder.Environment.EnvironmentName = Environments.Development;
        if (time is not null)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(time));
        }

        var host = builder.Build();
        // Only the app's own hosted services: the worker's gRPC channel to the Functions host has nothing to connect to.
        foreach (var service in host.Services.GetServices<IHostedService>().Where(s => s.GetType().Namespace?.StartsWith("Purview.", StringComparison.Ordinal) == true))
        {
            await service.StartAsync(CancellationToken.None);
        }

        return new FunctionsWorker(host, keyFolder, prefix);
    }

    /// <summary>The function's class as the worker creates it for an invocation (null for static functions).</summary>
    public object? Activate(MethodInfo method, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.IsStatic ? null : Services.GetRequiredService<IFunctionActivator>().CreateInstance(method.DeclaringType!, context);
    }

    /// <summary>Calls a function with the arguments <paramref name="bind"/> gives for its parameters; awaits what it returns.</summary>
    public async Task<object?> InvokeAsync(MethodInfo method, Func<ParameterInfo, object?> bind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(bind);
        var name = method.GetCustomAttribute<FunctionAttribute>()?.Name ?? method.Name;
        var context = new TestFunctionContext(Services, name, $"{method.DeclaringType!.FullName}.{method.Name}", cancellationToken);
        var instance = Activate(method, context);
        var arguments = method.GetParameters().Select(p =>
            p.ParameterType == typeof(FunctionContext) ? context
            : p.ParameterType == typeof(CancellationToken) ? cancellationToken
            : bind(p)).ToArray();
        var returned = method.Invoke(instance, arguments);
        if (returned is not Task task)
        {
            return returned;
        }

        await task;
        return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
    }

    /// <summary>
    /// An HTTP request to one function, as the host would deliver it: the route's values bound to the parameters of the
    /// same names, the body as JSON, a development token for <paramref name="principal"/> (none when null). The IResult
    /// is executed against the response, so status, headers and body are what a client would read.
    /// </summary>
    public async Task<FunctionAnswer> HttpAsync(
        MethodInfo method, string httpMethod, string path, string? principal = "admin", string? json = null,
        Func<ParameterInfo, object?>? bind = null, Action<HttpContext>? prepare = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        using var scope = Services.CreateScope();
        var context = NewContext(scope.ServiceProvider, httpMethod, path, principal, json);
        prepare?.Invoke(context);
        var routeValues = RouteValuesOf(method, context.Request.Path);
        var result = await InvokeAsync(method, p =>
            p.ParameterType == typeof(HttpRequest) ? context.Request
            : p.ParameterType == typeof(string) && routeValues.TryGetValue(p.Name!, out var value) ? value?.ToString()
            : bind?.Invoke(p), context.RequestAborted);
        if (result is IResult answer)
        {
            await answer.ExecuteAsync(context);
        }

        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body, Encoding.UTF8);
        return new FunctionAnswer(context.Response.StatusCode, context.Response.Headers, await reader.ReadToEndAsync());
    }

    /// <summary>A request context like the one the worker's ASP.NET Core integration builds, with the worker's request services.</summary>
    public HttpContext NewContext(IServiceProvider requestServices, string httpMethod, string path, string? principal, string? json)
    {
        ArgumentNullException.ThrowIfNull(path);
        var context = new DefaultHttpContext { RequestServices = requestServices };
        var query = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = httpMethod;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost", 7071);
        context.Request.Path = query < 0 ? path : path[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        context.Response.Body = new MemoryStream();
        if (principal is not null)
        {
            var token = Services.GetRequiredService<DevelopmentTokenIssuer>().Issue(principal);
            context.Request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token).ToString();
        }

        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }

        return context;
    }

    /// <summary>The values a path gives the function's route template (host.json's route prefix is empty).</summary>
    public static RouteValueDictionary RouteValuesOf(MethodInfo method, PathString path)
    {
        ArgumentNullException.ThrowIfNull(method);
        var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().Single();
        var matcher = new TemplateMatcher(TemplateParser.Parse(trigger.Route ?? string.Empty), []);
        var values = new RouteValueDictionary();
        return matcher.TryMatch(path, values) ? values : throw new ArgumentException($"{path} does not match the route '{trigger.Route}' of {method.Name}.", nameof(path));
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }

        if (Directory.Exists(_keyFolder))
        {
            Directory.Delete(_keyFolder, recursive: true);
        }
    }
}
