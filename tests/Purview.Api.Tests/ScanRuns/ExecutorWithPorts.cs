using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Registry;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Api.Tests.ScanRuns;

/// <summary>A second executor over a host's storage with some ports swapped (a worker that dies after a write), as another instance would run.</summary>
internal static class ExecutorWithPorts
{
    public static ScanRunStepExecutor Create(IServiceProvider sp, IScanRunStore store, IScanRegistry registry, IStagingStore staging, IAssetSink assets, IRunDriver driver)
    {
        var options = sp.GetRequiredService<ScanRunExecutionOptions>();
        var writer = new ScanRunWriter(store, sp.GetRequiredService<IRunCounterStore>(), TimeProvider.System);
        var admission = new ScanRunAdmission(store, sp.GetRequiredService<IAdmissionStore>(), registry, driver, writer, TimeProvider.System);
        var delivery = new ScanPageDelivery(registry, sp.GetServices<IScanner>(), staging, assets, sp.GetRequiredService<IScanRunExceptionLog>(), options, TimeProvider.System);
        return new ScanRunStepExecutor(store, writer, admission, delivery, options, TimeProvider.System);
    }
}
