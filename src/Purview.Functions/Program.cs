using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace Purview.Functions;

/// <summary>The worker's entry point: <c>func start</c> (and Azure) run this; tests build the same host with <see cref="FunctionsApp.CreateBuilder"/>.</summary>
public static class Program
{
    public static void Main(string[] args) => FunctionsApp.CreateBuilder(args).Build().Run();
}
