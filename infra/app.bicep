// The resources of one deployment, in its resource group (main.bicep passes every parameter).
param location string
param tags object
param environmentName string
param resourceToken string
param bootstrapAdmins string
param authClientId string
param authAudience string
param storagePrefix string
param rootCollection string
param maximumInstanceCount int
param instanceMemoryMB int
param logRetentionDays int

// Every table, queue and container the app uses, listed once (tests check the list against the running app).
var storageNames = loadJsonContent('storage-names.json')
var prefix = toLower(storagePrefix)
var appName = 'func-${environmentName}-${resourceToken}'
var storageAccountName = 'st${resourceToken}'
// Flex Consumption deploys the app package from this container, with the app's identity.
var packageContainerName = 'app-package'
// Durable Functions' task hub (host.json: "hubName": "%TaskHubName%"): 3-45 letters and digits.
var taskHubName = 'PurviewMonitor'

// Built-in roles the app's identity holds on its storage account (data plane only: no keys, no management rights).
var storageRoles = [
  { name: 'Storage Blob Data Owner', id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' }
  { name: 'Storage Queue Data Contributor', id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' }
  { name: 'Storage Table Data Contributor', id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' }
]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${environmentName}-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${environmentName}-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    // Entra ID only: the app and the Functions host use the managed identity; nobody needs an account key.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: packageContainerName
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in storageNames.containers: {
  parent: blobService
  name: '${prefix}-${name}'
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for name in storageNames.queues: {
  parent: queueService
  name: '${prefix}-${name}'
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for name in storageNames.tables: {
  parent: tableService
  name: '${prefix}${name}'
}]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${environmentName}-${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      // Flex Consumption sets the worker runtime and host version itself (functionAppConfig.runtime):
      // FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION must not be set here.
      appSettings: [
        // Identity-based storage for the Functions host (Durable, timers) and for the app's own data: no connection string.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        // The app's own traces and metrics (Purview.Monitor, docs/OPERATIONS.md) to the same Application Insights.
        { name: 'Telemetry__Exporter', value: 'azuremonitor' }
        { name: 'TaskHubName', value: taskHubName }
        { name: 'Storage__Prefix', value: prefix }
        { name: 'Access__RootCollection', value: rootCollection }
        { name: 'Access__BootstrapAdmins', value: bootstrapAdmins }
        // App Service Authentication validates every caller first and passes X-MS-CLIENT-PRINCIPAL on; the app trusts it
        // only because it is enabled here, and still validates bearer tokens itself (same tenant and audience).
        { name: 'Identity__AppServiceAuthentication__Enabled', value: 'true' }
        { name: 'Identity__EntraId__Authority', value: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0' }
        { name: 'Identity__EntraId__Audience', value: authAudience }
        { name: 'Identity__EntraId__TenantId', value: tenant().tenantId }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${packageContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, functionApp.id, role.id)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    description: '${role.name} for ${appName}'
  }
}]

// App Service Authentication (Easy Auth v2): Entra ID in front of every function; /healthz stays open for probes.
resource authentication 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [
        '/healthz'
      ]
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            authAudience
            authClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output functionAppName string = functionApp.name
output url string = 'https://${functionApp.properties.defaultHostName}'
output storageAccountName string = storage.name
output applicationInsightsName string = insights.name
output principalId string = functionApp.identity.principalId
