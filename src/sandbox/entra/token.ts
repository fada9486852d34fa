import { timingSafeEqual } from 'node:crypto';
import type { SandboxContext } from '../context';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { issueAccessToken, TOKEN_LIFETIME_SECONDS, type Principal } from './accessTokens';
import { entraError } from './errors';
import { checkCertificateAssertion } from './certificateCredential';
import { verifyAssertion } from './federation';
import { LOGIN_HOST, publicOrigin } from '../publicNames';
import { audienceForScope } from './resources';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * `POST /{tenant}/oauth2/v2.0/token`, client-credentials grant only (the grant both the
 * developer sign-in and workload identity use). Unknown form fields (MSAL telemetry, `claims`
 * for CAE) are ignored, as Entra does.
 */
export async function handleToken(ctx: SandboxContext, req: SandboxRequest, tenant: string): Promise<SandboxResponse> {
  const state = ctx.store.state;
  if (tenant.toLowerCase() !== state.tenantId) return tenantNotFound(req, tenant);
  const form = new URLSearchParams(req.body.toString('utf8'));
  const grantType = form.get('grant_type');
  if (!grantType) {
    return entraError(
      req,
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'grant_type'.",
    );
  }
  if (grantType !== 'client_credentials') {
    return entraError(
      req,
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    );
  }
  const clientId = (form.get('client_id') ?? '').trim();
  if (!clientId) {
    return entraError(
      req,
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
  }

  // The v1 endpoint (`/oauth2/token`) names the resource instead of a scope.
  const resource = form.get('resource');
  const scope = audienceForScope(form.get('scope') ?? (resource ? `${resource.replace(/\/+$/, '')}/.default` : null));
  if ('error' in scope) {
    switch (scope.error) {
      case 'missing':
        return entraError(
          req,
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'scope'.",
        );
      case 'noDefault':
      case 'multiple':
        return entraError(
          req,
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${scope.resource} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      case 'unknown':
        return entraError(
          req,
          400,
          'invalid_resource',
          500011,
          `The resource principal named ${scope.resource} was not found in the tenant named ${state.tenantDisplayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
        );
    }
  }

  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  const assertionType = form.get('client_assertion_type');
  let principal: Principal;

  if (clientId.toLowerCase() === state.developer.clientId) {
    if (secret === null && assertion !== null) {
      // The developer's certificate credential (certificateCredential.ts).
      if (assertionType !== JWT_BEARER) {
        return entraError(req, 400, 'invalid_request', 700231, `The client_assertion_type must be '${JWT_BEARER}'.`);
      }
      const endpoints = [ctx.origin, publicOrigin(LOGIN_HOST)].flatMap((o) => [
        `${o}/${tenant}/oauth2/v2.0/token`,
        `${o}/${tenant}/oauth2/token`,
      ]);
      const check = checkCertificateAssertion(
        assertion,
        state.developer.clientId,
        ctx.developerCertificate?.(),
        endpoints,
        Math.floor(ctx.now() / 1000),
      );
      if (!check.ok) return entraError(req, check.status, check.error, check.code, check.text);
    } else if (secret === null) {
      return entraError(
        req,
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    if (secret !== null && !sameSecret(secret, state.developer.clientSecret)) {
      return entraError(
        req,
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${state.developer.clientId}'.`,
      );
    }
    principal = { oid: state.developer.objectId, appId: state.developer.clientId };
  } else {
    const identity = ctx.store.identityByClientId(clientId);
    if (!identity) {
      return entraError(
        req,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${state.tenantDisplayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    if (assertion === null || assertionType !== JWT_BEARER) {
      if (assertion !== null) {
        return entraError(req, 400, 'invalid_request', 700231, `The client_assertion_type must be '${JWT_BEARER}'.`);
      }
      // A managed identity has no secret: the only client credential it accepts is a federated assertion.
      return entraError(
        req,
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    const result = await verifyAssertion(ctx, identity, assertion);
    if (!result.ok) return entraError(req, result.status, result.error, result.code, result.text);
    principal = { oid: identity.principalId, appId: identity.clientId, miResourceId: identity.id };
  }

  return json(
    200,
    {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: issueAccessToken(ctx, principal, scope.audience),
    },
    { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
  );
}

export function tenantNotFound(req: SandboxRequest, tenant: string): SandboxResponse {
  return entraError(
    req,
    400,
    'invalid_request',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
