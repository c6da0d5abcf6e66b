/**
 * Environment variables: settings that travel with the solution while each environment keeps its own value
 * (environmentvariabledefinition + environmentvariablevalue). The package carries definitions only — never values,
 * so importing into production cannot carry a test URL — and the setup command sets the values.
 */
import { EnvironmentVariableType } from '../schema/platformTables';
import { componentId } from './ids';

export interface EnvironmentVariableDefinition {
  readonly id: string;
  readonly schemaName: string;
  readonly displayName: string;
  readonly description: string;
  readonly type: number;
  readonly isRequired: boolean;
  readonly defaultValue?: string;
  /** The setup command's flag that sets the value. */
  readonly setupFlag: string;
}

function variable(v: Omit<EnvironmentVariableDefinition, 'id'>): EnvironmentVariableDefinition {
  return { id: componentId('environmentvariabledefinition', v.schemaName), ...v };
}

export const BRIDGE_URL_VARIABLE = variable({
  schemaName: 'pfb_BridgeUrl',
  displayName: 'Bridge URL',
  description: "Base URL of this environment's Project Field Bridge (the Azure Functions app), e.g. https://pfb-bridge-prod.azurewebsites.net. The webhook endpoints post under it.",
  type: EnvironmentVariableType.String,
  isRequired: true,
  setupFlag: 'bridge-url',
});

export const MOBILITY_APP_URL_VARIABLE = variable({
  schemaName: 'pfb_MobilityAppUrl',
  displayName: 'Mobility App URL',
  description: 'Web address of the field mobility app, for links from a booking to its ticket.',
  type: EnvironmentVariableType.String,
  isRequired: false,
  setupFlag: 'mobility-url',
});

export const ENVIRONMENT_VARIABLES: readonly EnvironmentVariableDefinition[] = [BRIDGE_URL_VARIABLE, MOBILITY_APP_URL_VARIABLE];
