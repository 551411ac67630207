/** Names as people read them, for every channel that shows a machine's names. */

/** "firstContactOverdue" -> "first contact overdue". */
export function plainWords(name: string | null | undefined): string {
  if (!name) return '';
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[._-]+/g, ' ').toLowerCase();
}

/** "record first contact" -> "Record first contact". */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
