import { checkCondition } from '../../../shared/flow';

/** Why the runner would evaluate a condition as false whatever the input (runtime.md §5.3), or null. */
export function conditionProblem(condition: string): string | null {
  if (condition.trim() === '') return null;
  const check = checkCondition(condition);
  return check.ok ? null : `${check.reason} (write path == "value" or path != "value")`;
}
