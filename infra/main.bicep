// Purview Monitor on Azure: a resource group holding a Flex Consumption Function App (.NET 10 isolated, Durable
// Functions over Azure Storage), its storage account (reached with the app's managed identity, no keys), Application
// Insights over a Log Analytics workspace, and App Service Authentication (Entra ID) in front. `azd up` deploys it;
// docs/DEPLOY.md says how.
targetScope = 'subscription'

@minLength(1)
@maxLength(24)
@description('Name of the deployment (the azd environment name): it names the resource group (rg-<name>) and every resource in it.')
param environmentName string

@minLength(1)
@description('Azure region of every resource, one that offers Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string

@minLength(1)
@description('Principals that hold every role at the root collection, comma-separated Entra ID user principal names (e.g. alice@contoso.com,bob@contoso.com).')
param bootstrapAdmins string

@minLength(36)
@maxLength(36)
@description('Application (client) id of the Entra ID app registration that callers request tokens for (docs/DEPLOY.md, step 2).')
param authClientId string

@description('The audience the API accepts in access tokens; empty means api://<authClientId>.')
param authAudience string = ''

@maxLength(12)
@description('Prefix of every table, queue and container of the app (Storage:Prefix): up to 12 letters and digits, starting with a letter.')
param storagePrefix string = 'pv'

@description('Name of the root collection (Access:RootCollection).')
param rootCollection string = 'root'

@minValue(1)
@maxValue(1000)
@description('Most instances Flex Consumption may scale out to (caps cost under load).')
param maximumInstanceCount int = 40

@allowed([ 512, 2048, 4096 ])
@description('Memory of each instance, in MB.')
param instanceMemoryMB int = 2048

@minValue(30)
@maxValue(730)
@description('How many days Log Analytics keeps logs and telemetry.')
param logRetentionDays int = 30

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module app 'app.bicep' = {
  name: 'purview-monitor-app'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    environmentName: environmentName
    resourceToken: resourceToken
    bootstrapAdmins: bootstrapAdmins
    authClientId: authClientId
    authAudience: empty(authAudience) ? 'api://${authClientId}' : authAudience
    storagePrefix: storagePrefix
    rootCollection: rootCollection
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    logRetentionDays: logRetentionDays
  }
}

output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.functionAppName
output AZURE_STORAGE_ACCOUNT_NAME string = app.outputs.storageAccountName
output SERVICE_API_URI string = app.outputs.url
output APPLICATIONINSIGHTS_NAME string = app.outputs.applicationInsightsName
