using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Purview.LocalHost.Tests;

public sealed class LocalSettingsConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("purview-settings").FullName;

    [Fact]
    public void Values_of_local_settings_json_configure_the_host_and_environment_variables_still_win()
    {
        var path = Path.Combine(_folder, "local.settings.json");
        File.WriteAllText(path, """
            { "IsEncrypted": false,
              "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true", "Storage__Prefix": "fromfile", "TaskHubName": "PurviewLocal" } }
            """);
        Environment.SetEnvironmentVariable("TaskHubName", "FromEnvironment");
        try
        {
            var configuration = new ConfigurationManager();
            configuration.AddEnvironmentVariables();
            configuration["LocalSettingsPath"] = path;

            configuration.AddLocalSettings(new Environment_(_folder));

            Assert.Equal("UseDevelopmentStorage=true", configuration["AzureWebJobsStorage"]);
            Assert.Equal("fromfile", configuration["Storage:Prefix"]);
            Assert.Equal("FromEnvironment", configuration["TaskHubName"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TaskHubName", null);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class Environment_(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Development";
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
