// Istio's AuthorizationPolicy evaluation, for requests described the way a sidecar sees them, so
// the rendered policies can be held to the calls the services really make.
//
// Written here because no library evaluates AuthorizationPolicies outside Envoy: istioctl can
// lint them (`istioctl analyze`) but not answer "is this request admitted?" without a cluster.
// It follows Istio's documented semantics (security.istio.io/v1, HTTP workloads; CUSTOM and AUDIT
// policies are out of scope and rejected):
// - the policies of a workload are those in the root namespace without a selector, those in its
//   namespace without a selector, and those whose selector matches its labels;
// - any matching DENY policy denies; else, with no ALLOW policy the request is allowed; else it is
//   allowed only when an ALLOW policy matches;
// - a policy matches when one of its rules matches (`rules: []` matches nothing, `{}` everything);
//   a rule matches when its from (any source), to (any operation) and when all match; a source or
//   operation matches when every field it sets matches (a `not…` field when none of its values do);
// - string values match exactly, as a prefix (`abc*`), a suffix (`*abc`) or as presence (`*`);
//   paths with `{*}` (one segment) or `{**}` (the rest) are URI templates; paths are matched
//   without the query string.
import { type KubeObject } from './repo.mts';

export interface MeshRequest {
  /** The destination workload's namespace and pod labels. */
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The caller's SPIFFE principal (cluster.local/ns/<ns>/sa/<sa>), absent for plaintext. */
  readonly principal?: string;
  readonly sourceNamespace?: string;
  readonly port: number;
  readonly method: string;
  readonly path: string;
}

interface Source {
  principals?: string[];
  notPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
}
interface Operation {
  ports?: string[];
  notPorts?: string[];
  methods?: string[];
  notMethods?: string[];
  paths?: string[];
  notPaths?: string[];
}
interface Rule {
  from?: { source?: Source }[];
  to?: { operation?: Operation }[];
  when?: unknown[];
}
interface PolicySpec {
  action?: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  selector?: { matchLabels?: Record<string, string> };
  rules?: Rule[];
}

export interface Verdict {
  readonly allowed: boolean;
  /** Which policy decided, and how: for messages. */
  readonly reason: string;
}

const SOURCE_FIELDS = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'];
const OPERATION_FIELDS = ['ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Istio's string match: exact, `prefix*`, `*suffix` or `*` (present). */
export function stringMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern === '*') return value !== '';
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

/** A path value: URI templates (`{*}`, `{**}`) or Istio's string match; no query string. */
export function pathMatches(pattern: string, requestPath: string): boolean {
  const path = requestPath.split('?')[0] ?? '';
  if (/\{\*\*?\}/.test(pattern)) {
    const source = pattern
      .split('/')
      .map((segment) => (segment === '{*}' ? '[^/]+' : segment === '{**}' ? '.+' : escape(segment)))
      .join('/');
    return new RegExp(`^${source}$`).test(path);
  }
  return stringMatches(pattern, path);
}

/** A field's `values` match when any does; its `notValues` when none does. */
function field(
  values: string[] | undefined,
  notValues: string[] | undefined,
  matches: (pattern: string) => boolean,
): boolean {
  if (values !== undefined && !values.some(matches)) return false;
  if (notValues !== undefined && notValues.some(matches)) return false;
  return true;
}

function checkFields(object: object, known: string[], where: string): void {
  const unknown = Object.keys(object).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new Error(`${where}: unsupported field(s) ${unknown.join(', ')}`);
}

function sourceMatches(source: Source, request: MeshRequest, where: string): boolean {
  checkFields(source, SOURCE_FIELDS, where);
  return (
    field(source.principals, source.notPrincipals, (p) => stringMatches(p, request.principal)) &&
    field(source.namespaces, source.notNamespaces, (n) => stringMatches(n, request.sourceNamespace))
  );
}

function operationMatches(operation: Operation, request: MeshRequest, where: string): boolean {
  checkFields(operation, OPERATION_FIELDS, where);
  return (
    field(operation.ports, operation.notPorts, (p) => p === String(request.port)) &&
    field(operation.methods, operation.notMethods, (m) => stringMatches(m, request.method)) &&
    field(operation.paths, operation.notPaths, (p) => pathMatches(p, request.path))
  );
}

function ruleMatches(rule: Rule, request: MeshRequest, where: string): boolean {
  if (rule.when !== undefined) throw new Error(`${where}: 'when' conditions are not supported`);
  const from =
    rule.from === undefined ||
    rule.from.some((f, i) => sourceMatches(f.source ?? {}, request, `${where}.from[${String(i)}]`));
  const to =
    rule.to === undefined ||
    rule.to.some((t, i) =>
      operationMatches(t.operation ?? {}, request, `${where}.to[${String(i)}]`),
    );
  return from && to;
}

function policyMatches(policy: KubeObject & { spec?: PolicySpec }, request: MeshRequest): boolean {
  const rules = policy.spec?.rules;
  // An ALLOW or DENY policy without rules matches nothing (Istio: "rules: []" denies all for ALLOW).
  if (rules === undefined) return false;
  return rules.some((rule, i) =>
    ruleMatches(rule, request, `AuthorizationPolicy ${policy.metadata.name} rules[${String(i)}]`),
  );
}

function applies(
  policy: KubeObject & { spec?: PolicySpec },
  request: MeshRequest,
  rootNamespace: string,
): boolean {
  const namespace = policy.metadata.namespace;
  const selector = policy.spec?.selector?.matchLabels;
  if (namespace !== request.namespace && namespace !== rootNamespace) return false;
  if (namespace === rootNamespace && namespace !== request.namespace && selector) return false;
  return Object.entries(selector ?? {}).every(([k, v]) => request.labels[k] === v);
}

/** Whether Istio admits `request`, given every AuthorizationPolicy of the mesh. */
export function evaluate(
  objects: readonly KubeObject[],
  request: MeshRequest,
  rootNamespace = 'istio-system',
): Verdict {
  const policies = objects.filter(
    (o): o is KubeObject & { spec?: PolicySpec } => o.kind === 'AuthorizationPolicy',
  );
  const mine = policies.filter((p) => applies(p, request, rootNamespace));
  for (const policy of mine) {
    const action = policy.spec?.action ?? 'ALLOW';
    if (action !== 'ALLOW' && action !== 'DENY') {
      throw new Error(
        `AuthorizationPolicy ${policy.metadata.name}: action ${action} is not supported`,
      );
    }
  }
  const deny = mine.find((p) => p.spec?.action === 'DENY' && policyMatches(p, request));
  if (deny) return { allowed: false, reason: `denied by DENY policy ${deny.metadata.name}` };
  const allows = mine.filter((p) => (p.spec?.action ?? 'ALLOW') === 'ALLOW');
  if (allows.length === 0) return { allowed: true, reason: 'no ALLOW policy selects the workload' };
  const allow = allows.find((p) => policyMatches(p, request));
  if (allow) return { allowed: true, reason: `allowed by ${allow.metadata.name}` };
  return {
    allowed: false,
    reason: `no rule of ${allows.map((p) => p.metadata.name).join(', ')} matches`,
  };
}
