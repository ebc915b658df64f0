import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource
 * in `scope`'s policies, with the reason it is needed.
 *
 * cdk-nag names such a finding after the resource as CloudFormation will see
 * it. For a resource of another stack (a bucket in the stateful stack, say)
 * that is a cross-stack reference, known only once CDK has resolved those
 * references during synthesis. Construct validations run right after that
 * and before the validation plugins, so the acknowledgement is made in one.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  scope.node.addValidation({
    validate: () => {
      const id = `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resource))}]`;
      Validations.of(scope).acknowledge({ id, reason });
      return [];
    },
  });
}

/**
 * A resolved CloudFormation value as cdk-nag spells it in finding IDs
 * (cdk-nag's flattenCfnReference): Fn::Join joined, Ref and Fn::GetAtt as
 * `<...>`, anything else (Fn::GetStackOutput) as JSON.
 */
function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const join: unknown = 'Fn::Join' in value ? value['Fn::Join'] : undefined;
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      const items: unknown[] = join[1];
      return items.map(flattenReference).join(join[0]);
    }
    if ('Fn::Sub' in value) return flattenReference(value['Fn::Sub']);
    const getAtt: unknown = 'Fn::GetAtt' in value ? value['Fn::GetAtt'] : undefined;
    if (Array.isArray(getAtt)) return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
    if ('Fn::ImportValue' in value) return flattenReference(value['Fn::ImportValue']);
    if ('Ref' in value) return `<${flattenReference(value.Ref)}>`;
  }
  return JSON.stringify(value);
}
