/**
 * What DELETE /account needs beyond the shared runtime, built once per container: the connections
 * table and the Cognito user pool. In a module of its own, so that only this function bundles the
 * Cognito client.
 */
import {
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { AccountCloser, ConnectionRepository, type IdentityStore } from "@tasks/core";
import * as z from "zod";
import { getRuntime } from "../runtime.js";

const Environment = z.object({
  CONNECTIONS_TABLE_NAME: z.string().min(1),
  USER_POOL_ID: z.string().min(1),
  /** The user pool client's access-token validity (infra/limits.ts). */
  ACCESS_TOKEN_VALIDITY_SECONDS: z.coerce.number().int().positive(),
  /** Set only offline (cognito-local behind the offline stack's proxy). */
  COGNITO_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
  /** Tests of other things than the in-flight bound lower it (core's account.test.ts tests the bound). */
  ACCOUNT_IN_FLIGHT_MS: z.coerce.number().int().nonnegative().optional(),
});

/**
 * What a request that passed its checks may still write for: the API functions' timeout
 * (sst.config.ts), after which Lambda has stopped it.
 */
const API_FUNCTION_TIMEOUT_MS = 10_000;

/** AdminDeleteUser on the one pool (IAM: cognito-idp:AdminDeleteUser on its ARN only). */
export class CognitoIdentityStore implements IdentityStore {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async deleteUser(username: string): Promise<void> {
    try {
      await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username }));
    } catch (error) {
      // Deleted by an earlier attempt whose answer was lost: the step is done.
      if (error instanceof UserNotFoundException) return;
      throw error;
    }
  }
}

let closer: AccountCloser | undefined;

export function accountCloser(): AccountCloser {
  if (!closer) {
    const env = Environment.parse(process.env);
    const { db, limiter } = getRuntime();
    const cognito = new CognitoIdentityProviderClient({
      ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
      // Offline: any region and credentials do, as for DynamoDB Local.
      ...(env.COGNITO_ENDPOINT
        ? { endpoint: env.COGNITO_ENDPOINT, region: env.AWS_REGION ?? "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }
        : {}),
    });
    closer = new AccountCloser(
      {
        db,
        todosTable: getRuntime().config.TODOS_TABLE_NAME,
        connections: new ConnectionRepository(db, env.CONNECTIONS_TABLE_NAME),
        limiter,
        identity: new CognitoIdentityStore(cognito, env.USER_POOL_ID),
      },
      { tokenLifetimeSeconds: env.ACCESS_TOKEN_VALIDITY_SECONDS, inFlightMs: env.ACCOUNT_IN_FLIGHT_MS ?? API_FUNCTION_TIMEOUT_MS },
    );
  }
  return closer;
}

/** For tests and the offline stack: forget it so new settings take effect. */
export function resetAccountRuntime(): void {
  closer = undefined;
}
