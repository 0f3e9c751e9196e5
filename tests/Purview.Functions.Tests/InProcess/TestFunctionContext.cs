using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace Purview.Functions.Tests.InProcess;

/// <summary>
/// The invocation context the Functions host would hand a function: its name and entry point, the worker's services
/// and a cancellation token. The worker's own implementation is internal, so tests supply this one.
/// </summary>
public sealed class TestFunctionContext(IServiceProvider services, string functionName, string entryPoint, CancellationToken cancellationToken = default) : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString("N");

    public override string FunctionId => functionName;

    public override TraceContext TraceContext => throw new NotSupportedException("No trace context outside the Functions host.");

    public override BindingContext BindingContext => throw new NotSupportedException("Bindings are passed as arguments in-process.");

    public override RetryContext RetryContext => throw new NotSupportedException("No retry context outside the Functions host.");

    public override IServiceProvider InstanceServices { get; set; } = services;

    public override FunctionDefinition FunctionDefinition { get; } = new Definition(functionName, entryPoint);

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException("No invocation features outside the Functions host.");

    public override CancellationToken CancellationToken => cancellationToken;

    private sealed class Definition(string name, string entryPoint) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(Program).Assembly.Location;

        public override string EntryPoint => entryPoint;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
