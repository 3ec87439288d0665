/** SMART v2 permission letters: create, read, update, delete, search. */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

/**
 * True when SMART v2 system scopes grant `permission` on `resourceType`: `system/Condition.rs`,
 * `system/*.cruds`; v1 `.read` and `.write` are understood too.
 * @example hasScope(['system/*.cruds'], 'Condition', 'r') // true
 */
export function hasScope(scopes: readonly string[], resourceType: string, permission: Permission): boolean {
  return scopes.some((scope) => {
    const m = /^system\/([A-Za-z]+|\*)\.(\w+)$/.exec(scope);
    if (!m || (m[1] !== '*' && m[1] !== resourceType)) return false;
    const grant = m[2] as string;
    if (grant === 'read') return permission === 'r' || permission === 's';
    if (grant === 'write') return permission === 'c' || permission === 'u' || permission === 'd';
    if (grant === '*') return true;
    return /^c?r?u?d?s?$/.test(grant) && grant.includes(permission);
  });
}
