// Project Field Bridge — the bridge's Azure resources (deploy to one resource group):
//
//   Function App on Flex Consumption (Node.js 22, system-assigned managed identity)
//   Storage account: AzureWebJobsStorage, the deployment package container, and the bridge's queues
//     (task-sync, booking-dispatch, field-event, each with its -poison and -parked queue)
//   Key Vault (RBAC): the webhook key, the storage connection string, the mobility client certificate
//     (imported by an operator); the app's identity is Key Vault Secrets User
//   Log Analytics workspace + Application Insights (workspace-based)
//   Alert: a scheduled query rule on exceptions that carry the `failure` dimension (poisoned messages, refused
//     dispatches, malformed messages) → an action group that e-mails the support team
//
// Written by hand and NOT compiled here (no Bicep CLI on the build machine): run `az bicep build --file main.bicep`
// (or `az deployment group what-if`) before the first deployment.

targetScope = 'resourceGroup'

@description('Azure region for everything but the action group (global).')
param location string = resourceGroup().location

@description('Short lower-case prefix for resource names, e.g. pfb or pfb-test.')
@minLength(2)
@maxLength(10)
param namePrefix string = 'pfb'

@description('Dataverse Web API service root, e.g. https://contoso.crm6.dynamics.com/api/data/v9.2')
param dataverseUrl string

@description('The mobility app\'s API base URL (HTTPS, mutual TLS).')
param mobilityBaseUrl string

@description('Name of the Key Vault certificate (and its secret) holding the mobility client certificate with its private key.')
param mobilityCertificateName string = 'mobility-client'

@description('PEM of a private CA the mobility API\'s server certificate chains to; empty when it uses a public CA.')
param mobilityCaPem string = ''

@description('The key Dataverse sends with each webhook (the service endpoint\'s WebhookKey value); at least 16 characters. Stored in Key Vault only.')
@secure()
@minLength(16)
param dataverseWebhookKey string

@description('Standard Webhooks signing secret (whsec_…) of inbound mobility events; empty when not used yet.')
@secure()
param mobilitySigningSecret string = ''

@description('Planning policy: one work order per resource and working day, or one spanning the task.')
@allowed([
  'perDay'
  'wholeWindow'
])
param planningPolicy string = 'perDay'

@description('Must equal host.json extensions.queues.visibilityTimeout (00:00:30): the code states the retry interval from it.')
param queueRetrySeconds int = 30

@description('Must equal host.json extensions.queues.maxDequeueCount (10): the code poisons on the last attempt from it.')
param queueMaxDequeueCount int = 10

@description('E-mail address of the support team that receives failure alerts.')
param supportEmail string

@description('Display name of the support e-mail receiver.')
param supportEmailName string = 'Field Bridge support'

@description('Flex Consumption scale-out limit.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Flex Consumption instance memory (MB).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Tags for every resource.')
param tags object = {
  application: 'project-field-bridge'
}

// ---- names --------------------------------------------------------------------------------------------------------

var suffix = uniqueString(resourceGroup().id, namePrefix)
var compactPrefix = toLower(replace(namePrefix, '-', ''))
var storageName = take('${compactPrefix}st${suffix}', 24)
var vaultName = take('${namePrefix}-kv-${suffix}', 24)
var appName = '${namePrefix}-bridge-${suffix}'
var planName = '${namePrefix}-plan-${suffix}'
var workspaceName = '${namePrefix}-log-${suffix}'
var insightsName = '${namePrefix}-appi-${suffix}'
var deploymentContainerName = 'app-package-${take(suffix, 8)}'

// The work queues and, for each, the poison queue (the Functions host moves failed messages there) and the parking
// queue (the poison handler keeps recorded failures there until they are re-driven). Names as in the code:
// functions-bridge/src/services/queueMessages.ts and src/app/poisonEnvelope.ts.
var workQueues = [
  'task-sync'
  'booking-dispatch'
  'field-event'
]
var queueNames = flatten(map(workQueues, q => [
  q
  '${q}-poison'
  '${q}-parked'
]))

// Built-in role definition ids.
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

// ---- monitoring ---------------------------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

// ---- storage ------------------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for name in queueNames: {
    parent: queueService
    name: name
  }
]

// ---- Key Vault ----------------------------------------------------------------------------------------------------

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource webhookKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'dataverse-webhook-key'
  properties: {
    value: dataverseWebhookKey
  }
}

// The bridge reads its queues with this connection string (AzureWebJobsStorage), as the Functions host does.
resource storageConnectionSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'storage-connection-string'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

resource signingSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(mobilitySigningSecret)) {
  parent: vault
  name: 'mobility-signing-secret'
  properties: {
    value: mobilitySigningSecret
  }
}

// ---- the Function App (Flex Consumption) --------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
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

var keyVaultRef = 'VaultName=${vault.name}'

var baseSettings = [
  {
    name: 'AzureWebJobsStorage'
    value: '@Microsoft.KeyVault(${keyVaultRef};SecretName=${storageConnectionSecret.name})'
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: insights.properties.ConnectionString
  }
  {
    name: 'DATAVERSE_URL'
    value: dataverseUrl
  }
  {
    name: 'DATAVERSE_AUTH'
    value: 'managedIdentity'
  }
  {
    name: 'DATAVERSE_WEBHOOK_KEY'
    value: '@Microsoft.KeyVault(${keyVaultRef};SecretName=${webhookKeySecret.name})'
  }
  {
    name: 'MOBILITY_BASE_URL'
    value: mobilityBaseUrl
  }
  {
    name: 'KEY_VAULT_URL'
    value: vault.properties.vaultUri
  }
  {
    name: 'MOBILITY_CERTIFICATE_NAME'
    value: mobilityCertificateName
  }
  {
    name: 'PLANNING_POLICY'
    value: planningPolicy
  }
  {
    name: 'QUEUE_RETRY_SECONDS'
    value: string(queueRetrySeconds)
  }
  {
    name: 'QUEUE_MAX_DEQUEUE_COUNT'
    value: string(queueMaxDequeueCount)
  }
]

// One line in an app setting: the code turns literal \n back into line breaks.
var caSettings = empty(mobilityCaPem)
  ? []
  : [
      {
        name: 'MOBILITY_CA_PEM'
        value: replace(mobilityCaPem, '\n', '\\n')
      }
    ]

var signingSettings = empty(mobilitySigningSecret)
  ? []
  : [
      {
        name: 'MOBILITY_SIGNING_SECRET'
        value: '@Microsoft.KeyVault(${keyVaultRef};SecretName=mobility-signing-secret)'
      }
    ]

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
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
        name: 'node'
        version: '22'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(baseSettings, caSettings, signingSettings)
    }
  }
  dependsOn: [
    deploymentContainer
    queues
  ]
}

// ---- role assignments for the app's identity ----------------------------------------------------------------------

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, app.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

// Flex Consumption reads the deployment package with the app's identity.
resource packageReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, app.id, storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}

// Not needed while AzureWebJobsStorage is a connection string; ready for identity-based storage connections.
resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, app.id, storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}

// ---- alerting: persistent failures e-mail the support team ---------------------------------------------------------

resource supportGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-support-${suffix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take('${compactPrefix}support', 12)
    enabled: true
    emailReceivers: [
      {
        name: supportEmailName
        emailAddress: supportEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// Every exception the bridge tracks for an alert carries the fixed dimensions failure, queue, recordId and step
// (functions-bridge/src/telemetry/telemetry.ts): TaskSyncPoisoned, BookingDispatchPoisoned, BookingDispatchRefused,
// MalformedMessage, PoisonHandlerFailed, PermanentFailure… One alert per failure kind and queue per 5 minutes; the
// e-mail links to the query, whose rows name the records.
resource failureAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-bridge-failures-${suffix}'
  location: location
  tags: tags
  properties: {
    displayName: 'Project Field Bridge: messages failed for good'
    description: 'A queue message exhausted its retries (poison queue) or was refused for good. The row is marked Failed; fix the cause, then POST /api/admin/redrive?queue=<queue> with a function key.'
    severity: 1
    enabled: true
    scopes: [
      insights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: 'exceptions\n| extend failure = tostring(customDimensions.failure), queue = tostring(customDimensions.queue), recordId = tostring(customDimensions.recordId), step = tostring(customDimensions.step)\n| where isnotempty(failure)'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'failure'
              operator: 'Include'
              values: [
                '*'
              ]
            }
            {
              name: 'queue'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        supportGroup.id
      ]
      customProperties: {
        runbook: 'functions-bridge/README.md#when-the-alert-e-mail-arrives'
      }
    }
  }
}

// ---- outputs ------------------------------------------------------------------------------------------------------

output functionAppName string = app.name
output functionAppHostName string = app.properties.defaultHostName
output principalId string = app.identity.principalId
output keyVaultName string = vault.name
output keyVaultUri string = vault.properties.vaultUri
output storageAccountName string = storage.name
output applicationInsightsName string = insights.name
@description('Register these as the webhook service endpoints (authentication WebhookKey, value = dataverseWebhookKey).')
output taskSyncWebhookUrl string = 'https://${app.properties.defaultHostName}/api/dataverse/task-sync'
output bookingWebhookUrl string = 'https://${app.properties.defaultHostName}/api/dataverse/bookings'
