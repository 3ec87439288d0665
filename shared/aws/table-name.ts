/** The record table's name, set by the stack (and by the sandbox). Apart from the clients, so it loads no SDK. */
export function tableName(): string {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
}
