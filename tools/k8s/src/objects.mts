import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { KubeObject } from './repo.mts';

type IObjectMeta = NonNullable<IPodTemplateSpec['metadata']>;

export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
];

export interface Workload {
  object: KubeObject;
  id: string;
  pod: IPodSpec;
  podMeta: IObjectMeta;
  containers: IContainer[];
}

/** Every workload with its pod template (CronJob reaches through its jobTemplate). */
export function workloads(objects: KubeObject[]): Workload[] {
  return objects
    .filter((o) => WORKLOAD_KINDS.includes(o.kind))
    .map((object) => {
      type Template = { metadata?: IObjectMeta; spec?: IPodSpec };
      const spec = object.spec as {
        template?: Template;
        jobTemplate?: { spec?: { template?: Template } };
      };
      const template = spec.template ?? spec.jobTemplate?.spec?.template;
      if (!template?.spec)
        throw new Error(`${object.kind}/${object.metadata.name} has no pod template`);
      return {
        object,
        id: `${object.kind}/${object.metadata.name}`,
        pod: template.spec,
        podMeta: template.metadata ?? {},
        containers: template.spec.containers,
      };
    });
}

export const ofKind = <T,>(objects: KubeObject[], kind: string): (KubeObject & T)[] =>
  objects.filter((o) => o.kind === kind) as (KubeObject & T)[];
