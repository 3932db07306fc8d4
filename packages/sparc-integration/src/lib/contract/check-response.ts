import type { Contract } from './contract';
import { baseMediaType, isJsonMediaType, matchMediaType } from './media-type';
import { schemaViolations } from './schema-violations';
import type { Violation } from './violation';

export interface ProbeRequest {
  method: string;
  path: string;
  expectStatus?: number;
  maxMs?: number;
}

export interface ProbeResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

export interface ResponseCheck {
  violations: Violation[];
  /** The contract's path template when the operation was found there, else the probe's path. */
  endpoint: string;
}

/**
 * Everything one response is checked for: no server error, the probe's expected status and time
 * limit, and with a contract: the operation exists, the status is declared, the content type is
 * declared and the body matches the declared schema.
 */
export function checkResponse(probe: ProbeRequest, response: ProbeResponse, contract?: Contract): ResponseCheck {
  const violations: Violation[] = [];
  const bare = probe.path.split(/[?#]/, 1)[0];
  if (response.status >= 500) violations.push({ check: 'server-error', message: `server error: answered ${response.status}` });
  if (probe.expectStatus !== undefined && response.status !== probe.expectStatus) {
    violations.push({ check: 'status', message: `expected status ${probe.expectStatus}, got ${response.status}` });
  }
  if (probe.maxMs !== undefined && response.durationMs > probe.maxMs) {
    violations.push({ check: 'response-time', message: `took ${Math.round(response.durationMs)} ms (max ${probe.maxMs} ms)` });
  }
  if (!contract) return { violations, endpoint: bare };

  const operation = contract.findOperation(probe.method, probe.path);
  if (!operation) {
    const methods = contract.methodsFor(bare);
    const hint = methods.length > 0 ? ` (the path declares ${methods.join(', ')})` : '';
    violations.push({ check: 'operation', message: `${probe.method} ${bare} is not declared in ${contract.document}${hint}` });
    return { violations, endpoint: bare };
  }
  const endpoint = operation.template;
  const declared = contract.responseFor(operation, response.status);
  if (!declared) {
    const statuses = Object.keys(operation.responses);
    violations.push({
      check: 'status-declared',
      message: `status ${response.status} is not declared for ${operation.method} ${endpoint} (declared: ${statuses.length > 0 ? statuses.join(', ') : 'none'})`,
    });
    return { violations, endpoint };
  }
  // HEAD answers carry no body; there is nothing to check beyond the status.
  if (probe.method === 'HEAD') return { violations, endpoint };

  const mediaTypes = Object.keys(declared.content);
  const actualType = baseMediaType(response.headers['content-type']);
  if (mediaTypes.length === 0) {
    if (response.body.length > 0) {
      violations.push({
        check: 'content-type',
        message: `response ${declared.key} declares no body, got ${Buffer.byteLength(response.body)} bytes${actualType ? ` of ${actualType}` : ''}`,
      });
    }
    return { violations, endpoint };
  }
  const matched = matchMediaType(mediaTypes, actualType);
  if (!matched) {
    violations.push({
      check: 'content-type',
      message: `${actualType ? `content type ${actualType}` : 'no content-type header'}; response ${declared.key} declares ${mediaTypes.join(', ')}`,
    });
    return { violations, endpoint };
  }
  const schema = declared.content[matched]?.schema;
  if (schema === undefined || !isJsonMediaType(actualType)) return { violations, endpoint };
  let body: unknown;
  try {
    body = response.body.trim() === '' ? undefined : JSON.parse(response.body);
  } catch (error) {
    violations.push({ check: 'schema', pointer: '', message: `body is not valid JSON: ${(error as Error).message}` });
    return { violations, endpoint };
  }
  if (body === undefined) {
    violations.push({ check: 'schema', pointer: '', message: `empty body; response ${declared.key} declares a ${matched} schema` });
    return { violations, endpoint };
  }
  try {
    violations.push(...schemaViolations(contract.compile(schema).validate(body), body));
  } catch (error) {
    violations.push({ check: 'contract', message: `the response schema of ${operation.method} ${endpoint} ${declared.key} cannot be compiled: ${(error as Error).message}` });
  }
  return { violations, endpoint };
}
